import { afterEach, describe, expect, it } from 'vitest';
import { testRequest } from '../../test/adapter-test-support.ts';
import { FakeVendorServer } from '../../test/fake-vendor-server.ts';
import { ScriptedProvider } from '../../test/scripted-provider.ts';
import {
  anthropicToolUse,
  geminiContent,
  geminiError,
  openAiCompletion,
  openAiError,
} from '../../test/vendor-replies.ts';
import { createProviderGateway, type GatewayOptions } from '../build-gateway.ts';
import type { ProvidersConfig } from '../settings/resolve-settings.ts';
import type { GatewayError } from '../spec/gateway-error.ts';
import type { RouterConfig } from './provider-router.ts';

const router: RouterConfig = {
  strategy: 'priority',
  fallbackOrder: ['gemini', 'anthropic', 'openai'],
  maxRetries: 2,
  retryBaseDelayMs: 10,
  retryMaxDelayMs: 2000,
  breakerFailureThreshold: 3,
  breakerCooldownMs: 30_000,
  healthWindowMs: 300_000,
  healthErrorRateThreshold: 0.1,
  healthMinRequests: 20,
  healthDisableMs: 900_000,
};

const fakes: FakeVendorServer[] = [];
const gateways: Array<ReturnType<typeof createProviderGateway>> = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((built) => built.close()));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});
async function start(reply: Parameters<typeof FakeVendorServer.start>[0]) {
  const fake = await FakeVendorServer.start(reply);
  fakes.push(fake);
  return fake;
}

function gateway(
  providers: ProvidersConfig,
  overrides: Partial<RouterConfig> = {},
  options: GatewayOptions = {},
) {
  const built = createProviderGateway({ providers, router: { ...router, ...overrides } }, options);
  gateways.push(built);
  return built;
}

describe('router over fake vendor servers', () => {
  it('falls back from a failing Gemini to Anthropic over real HTTP and records who failed', async () => {
    const gemini = await start(() => geminiError(503, 'The model is overloaded.'));
    const anthropic = await start(() => anthropicToolUse('intent', { intent: 'book', language: 'en' }));
    const routerGateway = gateway(
      {
        geminiApiKey: 'g',
        geminiBaseUrl: `${gemini.url}/v1beta`,
        anthropicApiKey: 'a',
        anthropicBaseUrl: `${anthropic.url}/v1`,
      },
      { maxRetries: 1 },
    );
    const result = await routerGateway.generate(testRequest(), { signal: AbortSignal.timeout(10_000) });
    expect(result).toMatchObject({ provider: 'anthropic', text: '{"intent":"book","language":"en"}' });
    expect(result.costUsd).toBeCloseTo((120 / 1000) * 0.001 + (30 / 1000) * 0.005, 10);
    expect(result.failedAttempts.map((attempt) => [attempt.provider, attempt.kind])).toEqual([
      ['gemini', 'server_error'],
      ['gemini', 'server_error'],
    ]);
    expect(gemini.requests).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('honours a real Retry-After header before retrying the same provider', async () => {
    const openai = await start(() => openAiCompletion('{"intent":"x","language":"en"}'));
    openai.script(openAiError(429, 'Rate limit reached', { 'retry-after-ms': '40' }));
    const delays: number[] = [];
    const routerGateway = gateway(
      { openaiApiKey: 'k', openaiBaseUrl: `${openai.url}/v1` },
      {},
      {
        events: { onRetry: (event) => delays.push(event.delayMs) },
      },
    );
    const result = await routerGateway.generate(testRequest(), { signal: AbortSignal.timeout(10_000) });
    expect(result.provider).toBe('openai');
    expect(openai.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(40);
  });

  it('aborts the in-flight HTTP call when the request deadline passes, without falling back', async () => {
    const gemini = await start(() => ({ hang: true }));
    const openai = await start(() => openAiCompletion('{}'));
    const routerGateway = gateway({
      geminiApiKey: 'g',
      geminiBaseUrl: `${gemini.url}/v1beta`,
      openaiApiKey: 'k',
      openaiBaseUrl: `${openai.url}/v1`,
    });
    const error = (await routerGateway
      .generate(testRequest(), { signal: AbortSignal.timeout(150) })
      .catch((caught: unknown) => caught)) as GatewayError;
    expect(error.code).toBe('provider_timeout');
    await gemini.whenClientAborts();
    expect(gemini.requests[0]?.abortedByClient).toBe(true);
    expect(openai.requests).toHaveLength(0);
  });

  it('least-busy spreads concurrent requests across two slow servers', async () => {
    const first = await start(() => ({
      delayMs: 100,
      ...openAiCompletion('{"intent":"a","language":"en"}'),
    }));
    const second = await start(() => ({
      delayMs: 100,
      ...openAiCompletion('{"intent":"b","language":"en"}'),
    }));
    const routerGateway = gateway(
      {
        entries: [
          { name: 'first', kind: 'openai-compatible', baseUrl: `${first.url}/v1`, models: ['m'] },
          { name: 'second', kind: 'openai-compatible', baseUrl: `${second.url}/v1`, models: ['m'] },
        ],
      },
      { strategy: 'least-busy', fallbackOrder: ['first', 'second'] },
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        routerGateway.generate(testRequest(), { signal: AbortSignal.timeout(10_000) }),
      ),
    );
    expect(results.filter((result) => result.provider === 'first')).toHaveLength(3);
    expect([first.requests.length, second.requests.length]).toEqual([3, 3]);
  });

  it('answers with heuristic when every configured vendor is down, and pins a provider on request', async () => {
    const gemini = await start(() => geminiContent('{"intent":"pinned","language":"en"}'));
    gemini.script(geminiError(500, 'internal'), geminiError(500, 'internal'));
    const heuristic = new ScriptedProvider('heuristic', { kind: 'heuristic', models: ['heuristic-v1'] });
    // Two failures: below the breaker threshold, so the pinned call below still reaches Gemini.
    const routerGateway = gateway(
      { geminiApiKey: 'g', geminiBaseUrl: `${gemini.url}/v1beta` },
      { maxRetries: 1 },
      { heuristic },
    );
    const fallback = await routerGateway.generate(testRequest(), { signal: AbortSignal.timeout(10_000) });
    expect(fallback).toMatchObject({ provider: 'heuristic', costUsd: 0 });
    const pinned = await routerGateway.generate(testRequest(), {
      signal: AbortSignal.timeout(10_000),
      provider: 'gemini',
      model: 'gemini-2.5-pro',
    });
    expect(pinned).toMatchObject({ provider: 'gemini', text: '{"intent":"pinned","language":"en"}' });
    expect(gemini.requests.at(-1)?.path).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(routerGateway.listProviderStatus().map((status) => status.name)).toEqual(['gemini', 'heuristic']);
  });
});
