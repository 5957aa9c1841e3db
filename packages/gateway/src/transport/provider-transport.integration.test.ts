import { afterEach, describe, expect, it } from 'vitest';
import { providerFailure, testRequest, testSettings } from '../../test/adapter-test-support.ts';
import { FakeVendorServer } from '../../test/fake-vendor-server.ts';
import { openAiCompletion } from '../../test/vendor-replies.ts';
import { createOpenAiCompatibleProvider } from '../adapters/openai-compatible/openai-compatible-provider.ts';
import { createProviderGateway } from '../build-gateway.ts';
import { OversizedAnswerError } from './answer-size-limit.ts';
import { createProviderTransport, type ProviderTransport } from './provider-transport.ts';
import type { TransportOptions } from './transport-options.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeVendor(reply: Parameters<typeof FakeVendorServer.start>[0]): Promise<FakeVendorServer> {
  const fake = await FakeVendorServer.start(reply);
  cleanups.push(() => fake.close());
  return fake;
}

function transportWith(options: TransportOptions = {}): ProviderTransport {
  const transport = createProviderTransport(options);
  cleanups.push(() => transport.close());
  return transport;
}

const post = (transport: ProviderTransport, url: string) =>
  transport.fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(10_000) });

describe('provider transport (undici agent behind fetch)', () => {
  it('keeps a connection alive for the next call', async () => {
    const fake = await fakeVendor(() => ({ body: { ok: true } }));
    // One connection at most: without keep-alive each call would need a new one.
    const transport = transportWith({ connectionsPerOrigin: 1 });
    for (let call = 0; call < 3; call += 1) {
      const response = await post(transport, `${fake.url}/v1/x`);
      expect(await response.json()).toEqual({ ok: true });
    }
    expect(fake.requests).toHaveLength(3);
    expect(fake.connections).toBe(1);
  });

  it('opens no more connections to one origin than configured; the other calls wait their turn', async () => {
    const fake = await fakeVendor(() => ({ delayMs: 30, body: { ok: true } }));
    const transport = transportWith({ connectionsPerOrigin: 2 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(transport, `${fake.url}/v1/x`)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(fake.maxConcurrent).toBe(2);
    expect(fake.connections).toBe(2);
  });

  it('refuses an answer past the size limit, whether its length is declared or not', async () => {
    const big = JSON.stringify({ big: 'x'.repeat(4096) });
    const fake = await fakeVendor(() => ({ body: big, headers: { 'content-length': String(big.length) } }));
    const transport = transportWith({ maxAnswerBytes: 1024 });
    const declared = await post(transport, `${fake.url}/v1/x`).catch((error: unknown) => error);
    expect(declared).toBeInstanceOf(OversizedAnswerError);
    fake.script({ body: big, headers: { 'transfer-encoding': 'chunked' } });
    const streamed = await post(transport, `${fake.url}/v1/x`).catch((error: unknown) => error);
    expect(streamed).toBeInstanceOf(OversizedAnswerError);
  });

  it('fails an adapter call with an oversized answer as malformed_response', async () => {
    const fake = await fakeVendor(() => openAiCompletion('x'.repeat(4096)));
    const transport = transportWith({ maxAnswerBytes: 1024 });
    const provider = createOpenAiCompatibleProvider(
      testSettings({ kind: 'openai-compatible', baseUrl: `${fake.url}/v1` }),
      transport.fetch,
    );
    const error = await providerFailure(
      provider.generate(testRequest(), { signal: AbortSignal.timeout(10_000) }),
    );
    expect(error).toMatchObject({ kind: 'malformed_response', isRetryable: false });
    expect(error.message).toContain('larger than 1024 bytes');
  });

  it('is owned by the gateway: its connection limit applies, and close() releases the connections', async () => {
    const fake = await fakeVendor(() => ({
      delayMs: 30,
      ...openAiCompletion('{"intent":"x","language":"en"}'),
    }));
    const gateway = createProviderGateway(
      {
        providers: {
          entries: [{ name: 'vllm', kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m'] }],
        },
        router: {
          strategy: 'priority',
          fallbackOrder: [],
          maxRetries: 0,
          retryBaseDelayMs: 10,
          retryMaxDelayMs: 100,
          breakerFailureThreshold: 3,
          breakerCooldownMs: 30_000,
          healthWindowMs: 300_000,
          healthErrorRateThreshold: 0.5,
          healthMinRequests: 20,
          healthDisableMs: 900_000,
        },
        transport: { connectionsPerOrigin: 1 },
      },
      { heuristic: false },
    );
    const calls = Array.from({ length: 3 }, () =>
      gateway.generate(testRequest(), { signal: AbortSignal.timeout(10_000) }),
    );
    expect((await Promise.all(calls)).map((result) => result.provider)).toEqual(['vllm', 'vllm', 'vllm']);
    expect(fake.maxConcurrent).toBe(1);
    expect(fake.openConnections).toBe(1);
    await gateway.close();
    await fake.whenNoOpenConnections();
    const after = await gateway
      .generate(testRequest(), { signal: AbortSignal.timeout(10_000) })
      .catch((error: unknown) => error);
    expect(after).toMatchObject({ code: 'provider_error' });
    expect(fake.requests).toHaveLength(3);
  });
});
