import { type FakeVendorServer, openAiCompletion, openAiError } from '@structured-prompt/gateway/testing';
import { describe, expect, it } from 'vitest';
import { appWithFakeOpenAi, validAnswer } from '../../../test/support/fake-openai-app.ts';
import { RequestLogsRepository } from '../../platform/request-log/request-logs.repository.ts';

describe('analyze through a real provider adapter (fake OpenAI on loopback)', () => {
  it('answers from OpenAI with tokens and cost, sending the compiled strict schema', async () => {
    const { analyze, fake } = await appWithFakeOpenAi();
    const response = await analyze({ prompt: 'Translate Hello World to French' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      provider: 'openai',
      cached: false,
      validation: { status: 'passed', attempts: 1 },
    });
    expect(body.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
    expect(body.usage.cost_usd).toBeCloseTo((100 * 0.00015 + 20 * 0.0006) / 1000, 10);
    const sent = fake.requests[0]!.body as {
      response_format?: { type: string; json_schema?: { strict?: boolean } };
    };
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.strict).toBe(true);
  });

  it('re-asks with the validation errors and returns the repaired answer', async () => {
    const { analyze, fake, calls } = await appWithFakeOpenAi();
    fake.script(openAiCompletion('{"intent": "translate", "subject": 42}'));
    const response = await analyze({ prompt: 'Translate Hello World to French' });
    expect(response.statusCode).toBe(200);
    expect(response.json().validation).toMatchObject({ status: 'passed', attempts: 2 });
    expect(calls()).toBe(2);
    const reask = JSON.stringify(fake.requests[1]!.body);
    expect(reask).toContain('/subject');
  });

  it('answers 422 with the errors and the last raw output when every attempt is invalid', async () => {
    const { analyze, calls } = await appWithFakeOpenAi(() => openAiCompletion('{"intent": "dance"}'));
    const response = await analyze({
      prompt: 'Translate Hello World to French',
      options: { max_repair_attempts: 1 },
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body.code).toBe('output_validation_failed');
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.last_output).toContain('dance');
    expect(body.attempts).toBe(2);
    expect(calls()).toBe(2);
  });
});

describe('language', () => {
  const systemOf = (fake: FakeVendorServer, index: number) =>
    JSON.stringify((fake.requests[index]!.body as { messages: unknown[] }).messages[0]);

  it('lets the model keep the request language and reports the language the answer gives', async () => {
    const french = JSON.stringify({
      intent: 'translate',
      subject: 'Bonjour',
      entities: [],
      output_format: 'text',
      original_language: 'fr',
    });
    const { analyze, fake } = await appWithFakeOpenAi(() => openAiCompletion(french));
    const response = await analyze({ prompt: 'Traduis « Bonjour tout le monde » en anglais, s’il te plaît' });
    expect(response.json().language).toBe('fr');
    expect(systemOf(fake, 0)).toContain('in the language the request is written in');
    expect(systemOf(fake, 0)).not.toContain('ISO 639 code');
  });

  it('names a language the caller forces', async () => {
    const { analyze, fake } = await appWithFakeOpenAi();
    const response = await analyze({
      prompt: 'Translate Hello World to French',
      options: { language: 'en-GB' },
    });
    expect(response.json().language).toBe('en');
    expect(systemOf(fake, 0)).toContain('ISO 639 code \\"en\\"');
  });
});

describe('fallback', () => {
  it('falls back to the offline analyzer when OpenAI keeps failing, and records what failed', async () => {
    const { analyze, calls, deps, infra } = await appWithFakeOpenAi(() => openAiError(503, 'overloaded'), {
      // Keep the retry pauses short; their length is not what this test is about.
      SPS_CONFIG_FILE: '',
    });
    const response = await analyze({ prompt: 'Translate Hello World to French' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.provider).toBe('heuristic');
    expect(body.failed_attempts.length).toBe(calls());
    expect(calls()).toBeGreaterThanOrEqual(1);
    expect(body.failed_attempts[0]).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      reason: 'server_error',
    });
    await deps.services.logWriter.flush();
    const [log] = (await new RequestLogsRepository(infra.database).list({}, {})).items;
    expect(log!.providerUsed).toBe('heuristic');
    expect((log!.requestParams as { failed_attempts: unknown[] }).failed_attempts).toEqual(
      body.failed_attempts,
    );
  });
});

describe('response cache through the app', () => {
  it('serves the second identical request with zero provider calls', async () => {
    const { analyze, calls, app, key } = await appWithFakeOpenAi();
    await analyze({ prompt: 'Translate Hello World to French' });
    const second = await analyze({ prompt: 'Translate Hello World to French' });
    expect(second.json()).toMatchObject({ cached: true, provider: 'openai' });
    expect(calls()).toBe(1);
    const stats = await app.inject({
      method: 'GET',
      url: '/v1/analyze/cache/stats',
      headers: { 'x-api-key': key },
    });
    expect(stats.json()).toMatchObject({ hits: 1, misses: 1, tokens_saved: 120 });
    expect(stats.json().usd_saved).toBeGreaterThan(0);
  });

  it('misses when the schema, temperature or model differ', async () => {
    const { analyze, calls } = await appWithFakeOpenAi();
    const prompt = 'Translate Hello World to French';
    const codes = [
      await analyze({ prompt }),
      await analyze({ prompt, temperature: 0.3 }),
      // Pinning the model (even the default one) is a different request from letting the router choose.
      await analyze({ prompt, model: 'gpt-4o-mini' }),
      await analyze({
        prompt,
        schema: { type: 'object', properties: { intent: { type: 'string' } }, required: ['intent'] },
      }),
    ].map((answer) => answer.statusCode);
    expect(codes).toEqual([200, 200, 200, 200]);
    expect(calls()).toBe(4);
  });

  it('bypass_cache skips the read and refreshes the entry', async () => {
    const { analyze, calls } = await appWithFakeOpenAi();
    const prompt = 'Translate Hello World to French';
    await analyze({ prompt });
    const bypassed = await analyze({ prompt, options: { bypass_cache: true } });
    expect(bypassed.json().cached).toBe(false);
    expect(calls()).toBe(2);
    expect((await analyze({ prompt })).json().cached).toBe(true);
    expect(calls()).toBe(2);
  });

  it('coalesces 20 concurrent identical requests into exactly one provider call', async () => {
    const { analyze, calls } = await appWithFakeOpenAi(() => ({
      ...openAiCompletion(validAnswer),
      delayMs: 150,
    }));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => analyze({ prompt: 'Translate Hello World to French' })),
    );
    expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);
    expect(calls()).toBe(1);
  });

  it('never caches a failure: the next identical request calls the provider again', async () => {
    const { analyze, calls, fake } = await appWithFakeOpenAi();
    fake.script(openAiError(400, 'bad request'));
    const failed = await analyze({ prompt: 'Translate Hello World to French', provider: 'openai' });
    expect(failed.statusCode).toBeGreaterThanOrEqual(400);
    const retried = await analyze({ prompt: 'Translate Hello World to French', provider: 'openai' });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().cached).toBe(false);
    expect(calls()).toBe(2);
  });

  it('invalidates a namespace (admin only) and reports the count', async () => {
    const { analyze, app, createKey, key, calls } = await appWithFakeOpenAi();
    await analyze({ prompt: 'Translate Hello World to French' });
    const user = await app.inject({
      method: 'DELETE',
      url: '/v1/cache?pattern=default',
      headers: { 'x-api-key': key },
    });
    expect(user.statusCode).toBe(403);
    const admin = await createKey({ scopes: ['admin'] });
    const cleared = await app.inject({
      method: 'DELETE',
      url: '/v1/cache?pattern=def*',
      headers: { 'x-api-key': admin.key },
    });
    expect(cleared.json()).toMatchObject({ removed: 1, complete: true });
    await analyze({ prompt: 'Translate Hello World to French' });
    expect(calls()).toBe(2);
  });

  it('warms the cache in the background', async () => {
    const { app, key, analyze, calls } = await appWithFakeOpenAi();
    const started = await app.inject({
      method: 'POST',
      url: '/v1/cache/warm',
      headers: { 'x-api-key': key },
      payload: { items: [{ prompt: 'Warm one' }, { prompt: 'Warm two' }] },
    });
    expect(started.statusCode).toBe(202);
    const id = started.json().id;
    await expect
      .poll(
        async () =>
          (
            await app.inject({ method: 'GET', url: `/v1/cache/warm/${id}`, headers: { 'x-api-key': key } })
          ).json().status,
      )
      .toBe('completed');
    const report = (
      await app.inject({ method: 'GET', url: `/v1/cache/warm/${id}`, headers: { 'x-api-key': key } })
    ).json();
    expect(report).toMatchObject({ total: 2, warmed: 2, failed: 0 });
    expect((await analyze({ prompt: 'Warm two' })).json().cached).toBe(true);
    expect(calls()).toBe(2);
  });
});
