import { openAiCompletion } from '@structured-prompt/gateway/testing';
import { describe, expect, it } from 'vitest';
import { AnswerBookGateway } from '../../../test/support/answer-book-gateway.ts';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { appWithFakeOpenAi, validAnswer } from '../../../test/support/fake-openai-app.ts';
import { eventually } from '../../../test/support/redis.ts';

const fastJobs = { JOB_POLL_INTERVAL_MS: '20', JOB_RETRY_BASE_MS: '10', JOB_LEASE_MS: '2000' };

async function jobsApp(reply?: Parameters<typeof appWithFakeOpenAi>[0], env: Record<string, string> = {}) {
  const testApp = await appWithFakeOpenAi(reply, { ...fastJobs, ...env });
  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown, headers = {}) =>
    testApp.app.inject({
      method,
      url,
      headers: { 'x-api-key': key, ...headers },
      payload: payload as object,
    });
  const waitFor = async (id: string, key: string, statuses: string[]) => {
    let job: Record<string, unknown> = {};
    await eventually(
      async () => {
        job = (await call('GET', `/v1/jobs/${id}`, key)).json();
        return statuses.includes(job.status as string);
      },
      `job ${id} ${statuses.join('|')}`,
      1200,
    );
    return job as { status: string; progress: Record<string, number>; usage: Record<string, number> };
  };
  return { ...testApp, call, waitFor };
}

describe('async jobs', () => {
  it('runs every item once, reports progress and usage, and pages the results in order', async () => {
    const { call, waitFor, key, calls } = await jobsApp();
    const items = Array.from({ length: 5 }, (_, index) => ({ prompt: `Translate item number ${index}` }));
    const submitted = await call('POST', '/v1/jobs', key, { items, priority: 'high' });
    expect(submitted.statusCode).toBe(202);
    const { id } = submitted.json();
    expect(submitted.headers.location).toBe(`/v1/jobs/${id}`);
    expect(submitted.json()).toMatchObject({ type: 'batch', priority: 'high', progress: { total: 5 } });

    const job = await waitFor(id, key, ['completed']);
    expect(job.progress).toMatchObject({ total: 5, succeeded: 5, pending: 0, failed: 0, percent: 100 });
    expect(job.usage.total_tokens).toBeGreaterThan(0);
    expect(calls()).toBe(5);

    const first = (await call('GET', `/v1/jobs/${id}/results?limit=2`, key)).json();
    const rest = (
      await call('GET', `/v1/jobs/${id}/results?limit=10&cursor=${first.next_cursor}`, key)
    ).json();
    const results = [...first.items, ...rest.items];
    expect(results.map((item: { index: number }) => item.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rest.next_cursor).toBeNull();
    expect(results.every((item: { status: string }) => item.status === 'succeeded')).toBe(true);
    expect(results[0].result.data).toEqual(JSON.parse(validAnswer));
  });

  it('shows a job to its key and to admins only, and lists each key its own', async () => {
    const { call, key, createKey } = await jobsApp();
    const other = await createKey({ rate_limit_per_hour: 1000 });
    const admin = await createKey({ scopes: ['admin'], rate_limit_per_hour: 1000 });
    const { id } = (await call('POST', '/v1/analyze/async', key, { prompt: 'Translate Hello World' })).json();
    expect((await call('GET', `/v1/jobs/${id}`, other.key)).statusCode).toBe(404);
    expect((await call('GET', `/v1/jobs/${id}/results`, other.key)).statusCode).toBe(404);
    expect((await call('POST', `/v1/jobs/${id}/cancel`, other.key)).statusCode).toBe(404);
    expect((await call('GET', `/v1/jobs/${id}`, admin.key)).json()).toMatchObject({ id, type: 'single' });
    expect((await call('GET', '/v1/jobs', other.key)).json().items).toEqual([]);
    expect((await call('GET', '/v1/jobs', key)).json().items.map((job: { id: string }) => job.id)).toEqual([
      id,
    ]);
    expect((await call('GET', '/v1/jobs', admin.key)).json().items).toHaveLength(1);
    expect((await call('GET', '/v1/jobs/dead-letters', key)).statusCode).toBe(403);
  });

  it('replays an Idempotency-Key answer, refuses the key for another body, and scopes it per API key', async () => {
    const { call, key, createKey } = await jobsApp();
    const body = { request: { prompt: 'Translate Hello World' } };
    const headers = { 'idempotency-key': 'order-42' };
    const first = await call('POST', '/v1/jobs', key, body, headers);
    const again = await call('POST', '/v1/jobs', key, body, headers);
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const changed = await call('POST', '/v1/jobs', key, { request: { prompt: 'Other' } }, headers);
    expect(changed.statusCode).toBe(422);
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(changed.json().code).toBe('idempotency_key_reused');

    const other = await createKey({ rate_limit_per_hour: 1000 });
    const theirs = await call('POST', '/v1/jobs', other.key, body, headers);
    expect(theirs.statusCode).toBe(202);
    expect(theirs.json().id).not.toBe(first.json().id);
    expect((await call('GET', '/v1/jobs', key)).json().items).toHaveLength(1);
  });

  it('retries a failing item with backoff, dead-letters it after the last retry, and an admin drives it again', async () => {
    // An in-process gateway: "fragile" has no answer (the call throws) until the test registers one.
    const gateway = new AnswerBookGateway();
    gateway.answer('sturdy', validAnswer);
    const testApp = await buildTestApp({ env: fastJobs, infra: { gateway } });
    const { key } = await testApp.createKey({ rate_limit_per_hour: 1000 });
    const admin = await testApp.createKey({ scopes: ['admin'], rate_limit_per_hour: 1000 });
    const call = (method: 'GET' | 'POST', url: string, apiKey: string, payload?: object) =>
      testApp.app.inject({ method, url, headers: { 'x-api-key': apiKey }, payload });
    const waitFor = async (id: string, statuses: string[]) => {
      let job: { status: string; progress: Record<string, number> } = { status: '', progress: {} };
      await eventually(
        async () => {
          job = (await call('GET', `/v1/jobs/${id}`, key)).json();
          return statuses.includes(job.status);
        },
        `job ${statuses.join('|')}`,
        1200,
      );
      return job;
    };
    const { id } = (
      await call('POST', '/v1/jobs', key, { items: [{ prompt: 'sturdy' }, { prompt: 'fragile' }] })
    ).json();
    const done = await waitFor(id, ['completed', 'failed']);
    expect(done.progress).toMatchObject({ succeeded: 1, failed: 1 });
    const results = (await call('GET', `/v1/jobs/${id}/results`, key)).json().items;
    expect(results[1]).toMatchObject({
      status: 'failed',
      attempts: 4,
      error: { code: 'internal_error', retryable: true },
    });

    const letters = (await call('GET', '/v1/jobs/dead-letters', admin.key)).json().items;
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ job_id: id, index: 1, attempts: 4 });
    gateway.answer('fragile', validAnswer);
    const retried = await call('POST', `/v1/jobs/dead-letters/${letters[0].id}/retry`, admin.key);
    expect(retried.statusCode).toBe(202);
    expect((await call('POST', `/v1/jobs/dead-letters/${letters[0].id}/retry`, admin.key)).statusCode).toBe(
      409,
    );
    const again = await waitFor(id, ['completed']);
    expect(again.progress).toMatchObject({ succeeded: 2, failed: 0 });
    expect((await call('GET', '/v1/jobs/dead-letters', admin.key)).json().items).toEqual([]);
  });

  it('cancels pending items at once and answers 409 for a job that already ended', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { call, waitFor, key, calls } = await jobsApp(
      () => ({ ...openAiCompletion(validAnswer), until: gate }),
      { JOB_WORKER_CONCURRENCY: '1' },
    );
    const items = Array.from({ length: 4 }, (_, index) => ({ prompt: `Translate held item ${index}` }));
    const { id } = (await call('POST', '/v1/jobs', key, { items })).json();
    await eventually(async () => calls() === 1, 'first item in flight');
    const cancelled = await call('POST', `/v1/jobs/${id}/cancel`, key);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', progress: { cancelled: 3, running: 1 } });
    release();
    const job = await waitFor(id, key, ['cancelled']);
    await eventually(
      async () => (await call('GET', `/v1/jobs/${id}`, key)).json().progress.running === 0,
      'running item ends',
    );
    expect(job.status).toBe('cancelled');
    expect(calls()).toBe(1);
    expect((await call('POST', `/v1/jobs/${id}/cancel`, key)).statusCode).toBe(409);
  });

  it('refuses more items than a job holds, and a body with both or neither of request and items', async () => {
    const { call, key } = await jobsApp(undefined, { JOB_MAX_ITEMS: '2' });
    const three = Array.from({ length: 3 }, () => ({ prompt: 'x' }));
    const tooMany = await call('POST', '/v1/jobs', key, { items: three });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].path).toBe('/body/items');
    expect((await call('POST', '/v1/jobs', key, {})).statusCode).toBe(400);
    expect(
      (await call('POST', '/v1/jobs', key, { items: [{ prompt: 'a' }], request: { prompt: 'b' } }))
        .statusCode,
    ).toBe(400);
    expect((await call('GET', '/v1/jobs/not-a-job', key)).statusCode).toBe(404);
  });
});
