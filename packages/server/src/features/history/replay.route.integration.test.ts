import { FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import { expect, it, onTestFinished } from 'vitest';
import { buildHistoryApp } from '../../../test/support/history-app.ts';
import { describeEachDialect } from '../../../test/support/test-databases.ts';

const answer = (subject: string) =>
  JSON.stringify({
    intent: 'translate',
    subject,
    entities: [{ type: 'language', value: 'French' }],
    output_format: 'text',
    original_language: 'en',
  });

/** OpenAI and an OpenAI-compatible server, both fakes on loopback, answering differently. */
async function twoProviders(dialect: 'sqlite' | 'postgres') {
  const openai = await FakeVendorServer.start(() =>
    openAiCompletion(answer('Hello World'), { promptTokens: 100, completionTokens: 40 }),
  );
  const other = await FakeVendorServer.start(() =>
    openAiCompletion(answer('Bonjour le monde'), {
      model: 'local-model',
      promptTokens: 90,
      completionTokens: 30,
    }),
  );
  onTestFinished(async () => {
    await openai.close();
    await other.close();
  });
  const testApp = await buildHistoryApp(dialect, {
    env: {
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_COMPATIBLE_BASE_URL: `${other.url}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'local-model',
    },
  });
  const completions = (fake: FakeVendorServer) =>
    fake.requests.filter((request) => request.path.endsWith('/chat/completions'));
  return { testApp, openai, other, completions };
}

describeEachDialect('POST /v1/requests/{id}/replay', (dialect) => {
  it('replays a stored request on another provider and shows what changed', async () => {
    const { testApp, other, completions } = await twoProviders(dialect);
    const alice = await testApp.createKey({ name: 'alice' });
    const original = await testApp.analyze(alice.key, {
      prompt: 'Translate Hello World to French',
      provider: 'openai',
    });
    expect(original.status).toBe(200);
    await testApp.flush();
    const stored = (await testApp.get(`/v1/requests/${original.requestId}`, alice.key)).json();

    const response = await testApp.app.inject({
      method: 'POST',
      url: `/v1/requests/${original.requestId}/replay`,
      headers: { 'x-api-key': alice.key },
      payload: { provider: 'openai-compatible' },
    });
    expect(response.statusCode).toBe(200);
    const { original: summary, replay, diff } = response.json();
    expect(summary.request_id).toBe(original.requestId);
    expect(replay).toMatchObject({ provider: 'openai-compatible', cached: false });
    expect(replay.data.subject).toBe('Bonjour le monde');
    expect(diff.identical_answer).toBe(false);
    expect(diff.changed_fields).toEqual([
      { path: '/subject', change: 'changed', before: 'Hello World', after: 'Bonjour le monde' },
    ]);
    expect(diff.provider).toEqual({ before: 'openai', after: 'openai-compatible' });
    expect(diff.validation_status).toEqual({
      before: stored.validation_status,
      after: replay.validation.status,
    });
    expect(diff.cost_usd.before).toBe(stored.cost_usd);
    expect(diff.cost_usd.after).toBe(replay.usage.cost_usd);
    expect(diff.cost_usd.delta).toBeCloseTo(replay.usage.cost_usd - stored.cost_usd, 9);
    expect(diff.total_tokens).toMatchObject({ before: 140, after: 120, delta: -20 });
    expect(diff.latency_ms.before).toBe(stored.latency_ms);

    // The other provider was asked with the stored prompt; the replay is a stored request of its own.
    expect(completions(other)).toHaveLength(1);
    expect(JSON.stringify(completions(other)[0]!.body)).toContain('Translate Hello World to French');
    await testApp.flush();
    const replayed = (await testApp.get(`/v1/requests/${replay.request_id}`, alice.key)).json();
    expect(replayed).toMatchObject({ provider: 'openai-compatible', api_key_id: alice.id });
  });

  it('replays on the same route past the cache, and never for another user key', async () => {
    const { testApp, openai, completions } = await twoProviders(dialect);
    const alice = await testApp.createKey({ name: 'alice' });
    const bob = await testApp.createKey({ name: 'bob' });
    const { requestId } = await testApp.analyze(alice.key, { prompt: 'Translate Hello World to French' });
    await testApp.flush();
    const replay = (key: string, id = requestId) =>
      testApp.app.inject({
        method: 'POST',
        url: `/v1/requests/${id}/replay`,
        headers: { 'x-api-key': key },
        payload: {},
      });
    const before = completions(openai).length;
    const same = await replay(alice.key);
    expect(same.statusCode).toBe(200);
    expect(same.json().diff).toMatchObject({ identical_answer: true, changed_fields: [] });
    expect(completions(openai).length).toBe(before + 1);

    const foreign = await replay(bob.key);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(foreign.body).not.toContain('Hello World');
    expect(completions(openai).length).toBe(before + 1);
    expect((await replay(bob.key, 'no-such-request')).statusCode).toBe(404);
  });

  it('refuses with 409 a request whose prompt was not stored', async () => {
    const { testApp } = await twoProviders(dialect);
    const quiet = await testApp.createKey({ name: 'quiet', store_prompts: false });
    const { requestId } = await testApp.analyze(quiet.key, { prompt: 'Translate Hello World to French' });
    await testApp.flush();
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/v1/requests/${requestId}/replay`,
      headers: { 'x-api-key': quiet.key },
      payload: { provider: 'openai-compatible' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'conflict', request_id: expect.any(String) });
  });

  it('replays against another version of a registered schema', async () => {
    const { testApp } = await twoProviders(dialect);
    const alice = await testApp.createKey({ name: 'alice' });
    const register = (path: string, payload: object) =>
      testApp.app.inject({ method: 'POST', url: path, headers: { 'x-api-key': alice.key }, payload });
    const v1 = { type: 'object', required: ['intent'], properties: { intent: { type: 'string' } } };
    const created = await register('/v1/schemas', { name: 'replay-intent', schema: v1 });
    expect(created.statusCode, created.body).toBe(201);
    const original = await testApp.analyze(alice.key, {
      prompt: 'Translate Hello World to French',
      provider: 'openai',
      schema_id: 'replay-intent',
    });
    expect(original.status).toBe(200);
    const v2 = {
      ...v1,
      required: ['intent', 'subject'],
      properties: { ...v1.properties, subject: { type: 'string' } },
    };
    const published = await register(`/v1/schemas/${created.json().id}/versions`, { schema: v2 });
    expect(published.statusCode, published.body).toBe(201);
    await testApp.flush();

    const replay = async (payload: object) =>
      testApp.app.inject({
        method: 'POST',
        url: `/v1/requests/${original.requestId}/replay`,
        headers: { 'x-api-key': alice.key },
        payload,
      });
    const again = await replay({});
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().replay.schema_used).toMatchObject({ name: 'replay-intent', version: '1.0.0' });
    const newer = await replay({ schema_id: 'replay-intent@2.0.0' });
    expect(newer.statusCode, newer.body).toBe(200);
    expect(newer.json().replay.schema_used).toMatchObject({ name: 'replay-intent', version: '2.0.0' });
    expect(newer.json().replay.data).toHaveProperty('subject');
    const both = await replay({ schema_id: 'replay-intent', schema: v1 });
    expect(both.statusCode).toBe(400);
  });
});
