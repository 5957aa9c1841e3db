import { AnalyzeResponse, BatchResponse, Problem } from '@structured-prompt/contracts';
import { openAiCompletion } from '@structured-prompt/gateway/testing';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { appWithFakeOpenAi, validAnswer } from '../../../test/support/fake-openai-app.ts';

type Json = Record<string, unknown>;
type App = Awaited<ReturnType<typeof appWithFakeOpenAi>>;

function batchOf(app: Pick<App, 'app' | 'key'>) {
  return (payload: unknown, apiKey = app.key) =>
    app.app.inject({
      method: 'POST',
      url: '/v1/analyze/batch',
      headers: { 'x-api-key': apiKey },
      payload: payload as object,
    });
}

const items = (...prompts: string[]) => prompts.map((prompt) => ({ prompt }));
const sentimentSchema = {
  type: 'object',
  required: ['sentiment'],
  properties: { sentiment: { enum: ['positive', 'negative'] } },
};

describe('POST /v1/analyze/batch with the offline analyzer', () => {
  it('answers every item in order, each as /v1/analyze answers it, and logs each item', async () => {
    const testApp = await buildTestApp();
    const { key } = await testApp.createKey({ rate_limit_per_hour: 1000 });
    const prompts = [
      'Translate Hello World to French',
      'Summarize the Q3 report as a list',
      'Book a table for 4',
    ];
    const answer = await batchOf({ app: testApp.app, key })({ items: items(...prompts) });
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(Value.Check(BatchResponse, body)).toBe(true);
    expect(body.request_id).toBe(answer.headers['x-request-id']);
    expect(body.results).toHaveLength(3);
    for (const [index, result] of body.results.entries()) {
      expect(Value.Check(AnalyzeResponse, result)).toBe(true);
      expect(result.request_id).toBe(`${body.request_id}:${index}`);
    }
    // The same prompts one by one: the same answers, in the same order (now from the cache).
    for (const [index, prompt] of prompts.entries()) {
      const single = await testApp.app.inject({
        method: 'POST',
        url: '/v1/analyze',
        headers: { 'x-api-key': key },
        payload: { prompt },
      });
      expect(single.json()).toMatchObject({ cached: true, data: body.results[index].data });
    }
    expect(body.summary).toMatchObject({ total: 3, succeeded: 3, failed: 0, cached: 0, deduplicated: 0 });
    expect(body.summary.provider_calls).toBe(3);
    await testApp.deps.services.logWriter.flush();
    expect((await testApp.deps.services.logWriter.stats()).written).toBe(6);
  });

  it('refuses more than MAX_BATCH_ITEMS items with a 400 that points to jobs, before any work', async () => {
    const testApp = await buildTestApp({ env: { MAX_BATCH_ITEMS: '3' } });
    const { key } = await testApp.createKey({ rate_limit_per_hour: 1000 });
    const batch = batchOf({ app: testApp.app, key });
    const refused = await batch({ items: items('a 1', 'a 2', 'a 3', 'a 4') });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json();
    expect(Value.Check(Problem, problem)).toBe(true);
    expect(problem).toMatchObject({ code: 'validation_error', max_items: 3, jobs_url: '/v1/jobs' });
    expect(problem.detail).toContain('/v1/jobs');
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/body/items', keyword: 'maxItems' })]);
    expect((await batch({ items: items('a 1', 'a 2', 'a 3') })).statusCode).toBe(200);
  });

  it('refuses 101 items by default, and an empty batch or a malformed item as validation errors', async () => {
    const testApp = await buildTestApp();
    const { key } = await testApp.createKey({ rate_limit_per_hour: 1000 });
    const batch = batchOf({ app: testApp.app, key });
    const many = Array.from({ length: 101 }, (_, index) => ({ prompt: `Prompt ${index}` }));
    const refused = await batch({ items: many });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ max_items: 100, jobs_url: '/v1/jobs' });
    expect((await batch({ items: [] })).json()).toMatchObject({ status: 400, code: 'validation_error' });
    const malformed = (await batch({ items: [{ prompt: 'ok' }, { prompt: 42 }] })).json();
    expect(malformed.errors.map((error: Json) => error.path)).toContain('/body/items/1/prompt');
  });

  it('answers 401 without a key, or with an unknown one, before reading the items', async () => {
    const testApp = await buildTestApp();
    const batch = batchOf({ app: testApp.app, key: '' });
    const missing = await testApp.app.inject({
      method: 'POST',
      url: '/v1/analyze/batch',
      payload: { items: items('no key') },
    });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ code: 'unauthorized' });
    const unknown = await batch({ items: items('wrong key') }, `sp_${'0'.repeat(64)}`);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toContain('Bearer');
  });
});

describe('POST /v1/analyze/batch against a provider', () => {
  it('computes identical items once and bills only the first of them', async () => {
    const app = await appWithFakeOpenAi();
    const prompts = ['Question A', 'Question B', 'Question A', 'Question C', 'Question B', 'Question A'];
    const body = (await batchOf(app)({ items: items(...prompts) })).json();
    expect(app.calls()).toBe(3);
    expect(body.summary).toMatchObject({
      total: 6,
      succeeded: 6,
      deduplicated: 3,
      cached: 0,
      provider_calls: 3,
    });
    const [first, , repeat] = body.results;
    expect(first).toMatchObject({ coalesced: false, cached: false });
    expect(first.usage.total_tokens).toBeGreaterThan(0);
    expect(repeat).toMatchObject({ coalesced: true, cached: false, data: first.data });
    expect(repeat.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: 0 });
    const billed = body.results.reduce(
      (sum: number, result: Json) => sum + Number((result.usage as Json).total_tokens),
      0,
    );
    expect(body.summary.tokens).toBe(billed);
    expect(body.summary.tokens).toBe(3 * first.usage.total_tokens);
  });

  it('serves cached items from the cache and computes the rest', async () => {
    const app = await appWithFakeOpenAi();
    expect((await app.analyze({ prompt: 'Already asked' })).statusCode).toBe(200);
    expect(app.calls()).toBe(1);
    const body = (await batchOf(app)({ items: items('Already asked', 'New one', 'Already asked') })).json();
    expect(app.calls()).toBe(2);
    expect(body.results.map((result: Json) => result.cached)).toEqual([true, false, true]);
    expect(body.summary).toMatchObject({ cached: 1, deduplicated: 1, provider_calls: 1, succeeded: 3 });
    // bypass_cache asks afresh even for an answer in the cache.
    const fresh = (
      await batchOf(app)({ items: [{ prompt: 'Already asked', options: { bypass_cache: true } }] })
    ).json();
    expect(fresh.results[0].cached).toBe(false);
    expect(app.calls()).toBe(3);
  });

  it('merges the defaults under each item and answers a failing item with its own problem document', async () => {
    const app = await appWithFakeOpenAi();
    const answer = await batchOf(app)({
      defaults: { schema: sentimentSchema, options: { validation: 'off', max_repair_attempts: 0 } },
      items: [
        { prompt: 'Validation is off by default' },
        { prompt: 'This one is strict', options: { validation: 'strict' } },
        { prompt: 'Bad schema', schema: { type: 'nonsense' } },
        { prompt: 'Own schema', schema: { type: 'object', required: ['intent'] } },
      ],
    });
    expect(answer.statusCode).toBe(200);
    const { results, summary } = answer.json();
    expect(results[0].validation.status).toBe('skipped');
    expect(results[0].data).toEqual(JSON.parse(validAnswer));
    expect(results[1]).toMatchObject({ status: 422, code: 'output_validation_failed', attempts: 1 });
    expect(results[1].request_id).toBe(`${answer.json().request_id}:1`);
    expect(results[2]).toMatchObject({ status: 400, code: 'invalid_schema', instance: '/v1/analyze/batch' });
    expect(results[3].validation.status).toBe('skipped');
    for (const problem of [results[1], results[2]]) expect(Value.Check(Problem, problem)).toBe(true);
    expect(summary).toMatchObject({ total: 4, succeeded: 2, failed: 2, provider_calls: 3 });
    // The invalid schema never reached the provider.
    expect(app.calls()).toBe(3);
    expect(summary.tokens).toBe(
      results[0].usage.total_tokens + results[1].usage.total_tokens + results[3].usage.total_tokens,
    );
  });
});

describe('POST /v1/analyze/batch concurrency', () => {
  it('keeps at most BATCH_CONCURRENCY provider calls of one batch in flight', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    let release = () => {};
    // Held for a while once three calls are in flight: long enough for a fourth to arrive if the cap
    // let one in (a slow machine can only hide a broken cap, never fail a working one).
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const app = await appWithFakeOpenAi(
      () => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        if (inFlight === 3) setTimeout(release, 300);
        const answered = gate.then(() => {
          inFlight -= 1;
        });
        return { ...openAiCompletion(validAnswer), until: answered };
      },
      { BATCH_CONCURRENCY: '3' },
    );
    const body = (
      await batchOf(app)({ items: items('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8') })
    ).json();
    expect(body.summary).toMatchObject({ succeeded: 8, provider_calls: 8 });
    expect(app.calls()).toBe(8);
    expect(mostInFlight).toBe(3);
  });
});

describe('POST /v1/analyze/batch within the key limits', () => {
  it('counts one request per item and refuses a batch that does not fit the hour, whole and up front', async () => {
    const app = await appWithFakeOpenAi();
    const { key } = await app.createKey({ rate_limit_per_hour: 5 });
    const batch = batchOf(app);
    const refused = await batch({ items: items('h1', 'h2', 'h3', 'h4', 'h5', 'h6') }, key);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(refused.json().detail).toContain('6 requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(app.calls()).toBe(0);
    // The refused batch took only its own request: four are left, and a batch of four fits exactly.
    const admitted = await batch({ items: items('h1', 'h2', 'h3', 'h4') }, key);
    expect(admitted.statusCode).toBe(200);
    expect(admitted.headers['x-ratelimit-remaining']).toBe('0');
    expect(app.calls()).toBe(4);
    expect((await app.analyze({ prompt: 'one more' }, key)).statusCode).toBe(429);
  });

  it('answers items over the monthly budget with their own 402, and still serves cached items', async () => {
    const app = await appWithFakeOpenAi();
    expect((await app.analyze({ prompt: 'Cached before' })).statusCode).toBe(200);
    const { key } = await app.createKey({ monthly_budget_usd: 0.0001, rate_limit_per_hour: 1000 });
    const answer = await batchOf(app)({ items: items('Cached before', 'Needs the provider') }, key);
    expect(answer.statusCode).toBe(200);
    const { results, summary } = answer.json();
    expect(results[0]).toMatchObject({ cached: true });
    expect(results[1]).toMatchObject({ status: 402, code: 'budget_exceeded' });
    expect(summary).toMatchObject({ succeeded: 1, failed: 1, cached: 1, provider_calls: 0, cost_usd: 0 });
    expect(app.calls()).toBe(1);
  });

  it('answers items over the tokens-per-minute limit with their own 429 and retry time', async () => {
    const app = await appWithFakeOpenAi(() => ({ ...openAiCompletion(validAnswer), delayMs: 100 }));
    // Each item reserves about 1,400 tokens until it is settled: 3,000 tokens hold two at a time.
    const { key } = await app.createKey({ tokens_per_minute: 3000, rate_limit_per_hour: 1000 });
    const answer = await batchOf(app)(
      { defaults: { max_tokens: 1000 }, items: items('t1', 't2', 't3', 't4') },
      key,
    );
    const { results, summary } = answer.json();
    const refused = results.filter((result: Json) => result.status === 429);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({ code: 'rate_limited' });
    expect(refused[0].retry_after_seconds).toBeGreaterThan(0);
    expect(summary).toMatchObject({ succeeded: 2, failed: 2, provider_calls: 2 });
    expect(app.calls()).toBe(2);
  });
});

describe('POST /v1/analyze/batch with an Idempotency-Key', () => {
  it('answers a retry with the first response, and refuses the key with another body', async () => {
    const app = await appWithFakeOpenAi();
    const send = (payload: object) =>
      app.app.inject({
        method: 'POST',
        url: '/v1/analyze/batch',
        headers: { 'x-api-key': app.key, 'idempotency-key': 'batch-retry-1' },
        payload,
      });
    const payload = {
      items: items('Retry me A', 'Retry me B'),
      defaults: { options: { bypass_cache: true } },
    };
    const first = await send(payload);
    expect(first.statusCode).toBe(200);
    expect(app.calls()).toBe(2);
    const retry = await send(payload);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().request_id).toBe(first.json().request_id);
    expect(app.calls()).toBe(2);
    const reused = await send({ items: items('Something else') });
    expect(reused.statusCode).toBe(422);
    expect(Value.Check(Problem, reused.json())).toBe(true);
    expect(app.calls()).toBe(2);
  });
});
