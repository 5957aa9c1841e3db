import { ProviderFailureProblem } from '@structured-prompt/contracts';
import { openAiCompletion, openAiError } from '@structured-prompt/gateway/testing';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { appWithFakeOpenAi, validAnswer } from '../../../test/support/fake-openai-app.ts';

/** The app with only the offline analyzer, whose confidence is capped at 0.6. */
async function offlineApp() {
  const testApp = await buildTestApp();
  const { key } = await testApp.createKey({ rate_limit_per_hour: 10_000 });
  const analyze = async (payload: Record<string, unknown>) => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key },
      payload,
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { cached: boolean; confidence: number; warnings: string[] };
  };
  return { ...testApp, analyze };
}

const prompt = 'Translate Hello World to French';
const mentioning = (warnings: string[], word: string) => warnings.filter((warning) => warning.includes(word));
const missingSubject = JSON.stringify({
  intent: 'translate',
  entities: [],
  output_format: 'text',
  original_language: 'en',
});

describe('what one caller asked stays with that caller', () => {
  it('computes the confidence-threshold warning for each request, also when the answer is cached', async () => {
    const { analyze } = await offlineApp();
    const demanding = await analyze({ prompt, options: { confidence_threshold: 0.95 } });
    expect(demanding.confidence).toBeLessThan(0.95);
    expect(mentioning(demanding.warnings, 'confidence')).toEqual([
      `confidence ${demanding.confidence} is below the requested confidence_threshold 0.95`,
    ]);

    const plain = await analyze({ prompt });
    expect(plain.cached).toBe(true);
    expect(mentioning(plain.warnings, 'confidence')).toEqual([]);

    const stricter = await analyze({ prompt, options: { confidence_threshold: 0.99 } });
    expect(stricter.cached).toBe(true);
    expect(mentioning(stricter.warnings, 'confidence')).toEqual([
      `confidence ${stricter.confidence} is below the requested confidence_threshold 0.99`,
    ]);
  });

  it('warns about max_cost_usd only to the request that paid, never from the cache', async () => {
    const { analyze } = await appWithFakeOpenAi();
    // One call costs 100 × 0.00015/1K + 20 × 0.0006/1K = 0.000027 USD, more than the cap.
    const request = { prompt, options: { max_cost_usd: 0.00001 } };
    const paid = (await analyze(request)).json();
    expect(mentioning(paid.warnings, 'exceeded max_cost_usd')).toEqual([
      'the cost $0.000027 exceeded max_cost_usd $0.00001',
    ]);
    const served = (await analyze(request)).json();
    expect(served).toMatchObject({ cached: true, usage: { cost_usd: 0 } });
    expect(mentioning(served.warnings, 'max_cost_usd')).toEqual([]);
  });

  it('does not serve an answer cut short by one caller’s max_cost_usd to a caller without it', async () => {
    const { analyze, fake, calls } = await appWithFakeOpenAi();
    fake.script(openAiCompletion(missingSubject));
    const capped = (
      await analyze({ prompt, options: { validation: 'relaxed', max_cost_usd: 0.0001 } })
    ).json();
    expect(capped.validation).toMatchObject({ status: 'passed_relaxed', attempts: 1 });
    expect(mentioning(capped.warnings, 'stopped re-asking')).toHaveLength(1);

    const uncapped = (await analyze({ prompt, options: { validation: 'relaxed' } })).json();
    expect(uncapped).toMatchObject({ cached: false, validation: { status: 'passed' } });
    expect(mentioning(uncapped.warnings, 'max_cost_usd')).toEqual([]);
    expect(calls()).toBe(2);
  });
});

describe('options.cache_ttl', () => {
  it('does not store the answer when it is 0', async () => {
    const { analyze } = await offlineApp();
    expect((await analyze({ prompt, options: { cache_ttl: 0 } })).cached).toBe(false);
    expect((await analyze({ prompt })).cached).toBe(false);
    // Any other TTL stores it.
    expect((await analyze({ prompt })).cached).toBe(true);
  });
});

describe('the coalesced flag', () => {
  it('is true only on an answer that waited for an identical request in flight', async () => {
    const { analyze, fake, calls, deps } = await appWithFakeOpenAi();
    const release = Promise.withResolvers<void>();
    fake.script({ ...openAiCompletion(validAnswer), until: release.promise });
    const first = analyze({ prompt });
    await expect.poll(calls).toBe(1);
    const second = analyze({ prompt });
    await expect.poll(async () => (await deps.services.cache.stats()).coalesced).toBe(1);
    release.resolve();

    const [leader, follower] = (await Promise.all([first, second])).map((answer) => answer.json());
    expect(leader).toMatchObject({ cached: false, coalesced: false, usage: { total_tokens: 120 } });
    expect(follower).toMatchObject({ cached: false, coalesced: true, usage: { total_tokens: 0 } });
    expect(follower.data).toEqual(leader.data);
    expect((await analyze({ prompt })).json()).toMatchObject({ cached: true, coalesced: false });
    expect(calls()).toBe(1);
  });
});

describe('failed_attempts', () => {
  it('names each failed call’s reason the same way in the 502 problem as in a 200 answer', async () => {
    const { analyze, app } = await appWithFakeOpenAi(() => openAiError(503, 'overloaded'));
    const failed = await analyze({ prompt, provider: 'openai' });
    expect(failed.statusCode).toBe(502);
    const problem = failed.json();
    expect(problem.failed_attempts[0]).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      reason: 'server_error',
    });
    expect(Value.Check(ProviderFailureProblem, problem)).toBe(true);

    // The OpenAPI spec documents the same member for the 200 answer and the 502 problem.
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const { responses } = spec.paths['/v1/analyze'].post;
    const documented = (status: string, type: string) => responses[status].content[type].schema;
    for (const schema of [
      documented('200', 'application/json').properties.failed_attempts.items,
      documented('502', 'application/problem+json').properties.failed_attempts.items,
    ]) {
      expect(schema).toMatchObject({ required: ['provider', 'model', 'reason'] });
    }
    expect(documented('200', 'application/json').properties.coalesced).toMatchObject({ type: 'boolean' });
  });
});
