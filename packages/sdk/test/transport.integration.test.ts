import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, ServerError, StructuredPromptClient, TimeoutError } from '../src/index.ts';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(() => live?.stop());

interface Sent {
  method: string;
  url: string;
  headers: Headers;
}

/**
 * The real fetch to the running service, except that the first `lose` answers are dropped after the
 * service handled them and replaced by a 503, as when a proxy fails on the way back.
 */
function losingFetch(lose: number) {
  const sent: Sent[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    sent.push({ method: init?.method ?? 'GET', url: String(input), headers: new Headers(init?.headers) });
    const response = await fetch(input, init);
    if (sent.length > lose) return response;
    await response.body?.cancel();
    const problem = {
      type: 'about:blank',
      title: 'Bad gateway',
      status: 503,
      code: 'service_unavailable',
      detail: 'x',
    };
    return new Response(JSON.stringify(problem), {
      status: 503,
      headers: { 'content-type': 'application/problem+json', 'retry-after': '0' },
    });
  };
  return { sent, fetch: wrapped };
}

function clientWith(fetchImpl: typeof fetch, options: { maxRetries?: number; timeoutMs?: number } = {}) {
  const { baseUrl, userKey } = live;
  const { maxRetries = 2, timeoutMs } = options;
  return new StructuredPromptClient({
    baseUrl,
    apiKey: userKey.key,
    fetch: fetchImpl,
    timeoutMs,
    retry: { maxRetries, baseDelayMs: 5 },
  });
}

describe('retries, timeouts and cancellation', () => {
  it('retries a job submission with the same Idempotency-Key, so the job exists once', async () => {
    const network = losingFetch(1);
    const client = clientWith(network.fetch);
    const before = (await live.client.jobs.list().toArray()).length;
    const job = await client.jobs.submit({ request: { prompt: 'Translate retried job to Dutch' } });
    expect(network.sent).toHaveLength(2);
    const keys = network.sent.map((request) => request.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const after = await live.client.jobs.list().toArray();
    expect(after).toHaveLength(before + 1);
    expect(after.map((entry) => entry.id)).toContain(job.id);
  });

  it('does not repeat an analyze after a 5xx: the provider may already have been paid', async () => {
    const network = losingFetch(1);
    const client = clientWith(network.fetch);
    await expect(client.analyze({ prompt: 'Translate once only to Welsh' })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(network.sent).toHaveLength(1);
  });

  it('gives up after maxRetries and reports the last error', async () => {
    const network = losingFetch(10);
    const client = clientWith(network.fetch, { maxRetries: 2 });
    await expect(client.health.check()).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(network.sent).toHaveLength(3);
  });

  it('times an attempt out and stops at once when the caller aborts', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const slow = clientWith(hanging, { maxRetries: 0, timeoutMs: 50 });
    await expect(slow.health.check()).rejects.toBeInstanceOf(TimeoutError);

    const controller = new AbortController();
    const pending = clientWith(hanging, { maxRetries: 3 }).jobs.get('any', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });
});
