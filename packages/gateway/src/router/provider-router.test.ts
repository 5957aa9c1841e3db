import { noJitterGenerator } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { testRequest, testSettings } from '../../test/adapter-test-support.ts';
import { ScriptedProvider } from '../../test/scripted-provider.ts';
import { PriceTable } from '../pricing/price-table.ts';
import { GatewayError } from '../spec/gateway-error.ts';
import type { GenerateResult } from '../spec/provider.ts';
import { ProviderRouter, type RouterConfig, type RouterDependencies } from './provider-router.ts';
import { AllProvidersFailedError } from './route-errors.ts';

const baseConfig: RouterConfig = {
  strategy: 'priority',
  fallbackOrder: [],
  maxRetries: 2,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 10_000,
  breakerFailureThreshold: 3,
  breakerCooldownMs: 100,
  healthWindowMs: 300_000,
  healthErrorRateThreshold: 0.1,
  healthMinRequests: 20,
  healthDisableMs: 900_000,
};

function makeRouter(
  providers: ScriptedProvider[],
  config: Partial<RouterConfig> = {},
  dependencies: RouterDependencies = {},
) {
  const sleeps: number[] = [];
  const router = new ProviderRouter(
    providers.map((provider) => ({
      provider,
      settings: testSettings({
        kind: provider.kind,
        name: provider.name,
        defaultModel: provider.defaultModel,
        models: [...provider.models],
      }),
    })),
    { ...baseConfig, fallbackOrder: providers.map((provider) => provider.name), ...config },
    new PriceTable(),
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      backoffGenerator: noJitterGenerator,
      ...dependencies,
    },
  );
  return { router, sleeps };
}

const route = (
  router: ProviderRouter,
  options: { provider?: string; model?: string; signal?: AbortSignal } = {},
) => router.generate(testRequest(), { signal: AbortSignal.timeout(10_000), ...options });

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('ProviderRouter fallback and retries', () => {
  it('falls back to the next provider when the primary keeps failing, recording every failure', async () => {
    const primary = new ScriptedProvider('gemini', { default: { fail: 'server_error' } });
    const secondary = new ScriptedProvider('anthropic', { kind: 'anthropic' });
    const fallbacks: string[] = [];
    const { router, sleeps } = makeRouter(
      [primary, secondary],
      {},
      { events: { onFallback: (e) => fallbacks.push(`${e.from}->${e.to}`) } },
    );
    const result = await route(router);
    expect(result.provider).toBe('anthropic');
    expect(result.text).toBe('{"from":"anthropic"}');
    expect(primary.calls).toHaveLength(3);
    expect(result.failedAttempts.map((attempt) => [attempt.provider, attempt.kind])).toEqual([
      ['gemini', 'server_error'],
      ['gemini', 'server_error'],
      ['gemini', 'server_error'],
    ]);
    expect(sleeps).toEqual([100, 200]);
    expect(fallbacks).toEqual(['gemini->anthropic']);
  });

  it('retries a 429 no sooner than its Retry-After and then succeeds on the same provider', async () => {
    const primary = new ScriptedProvider('openai', {
      script: [
        { fail: 'rate_limited', retryAfterMs: 1500 },
        { fail: 'rate_limited', retryAfterMs: 3000 },
      ],
    });
    const retries: number[] = [];
    const { router, sleeps } = makeRouter(
      [primary, new ScriptedProvider('other')],
      {},
      {
        events: { onRetry: (event) => retries.push(event.retry) },
      },
    );
    const result = await route(router);
    expect(result.provider).toBe('openai');
    expect(sleeps).toEqual([1500, 3000]);
    expect(retries).toEqual([1, 2]);
    expect(result.failedAttempts).toHaveLength(2);
  });

  it('falls back at once when Retry-After is longer than the longest delay it would wait', async () => {
    const primary = new ScriptedProvider('openai', {
      script: [{ fail: 'rate_limited', retryAfterMs: 60_000 }],
    });
    const { router, sleeps } = makeRouter([primary, new ScriptedProvider('other')]);
    expect((await route(router)).provider).toBe('other');
    expect(primary.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('never retries a request-caused 400', async () => {
    const primary = new ScriptedProvider('openai', { script: [{ fail: 'bad_request', statusCode: 400 }] });
    const { router, sleeps } = makeRouter([primary, new ScriptedProvider('other')]);
    const result = await route(router);
    expect(primary.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(result.failedAttempts).toEqual([
      expect.objectContaining({ provider: 'openai', kind: 'bad_request' }),
    ]);
  });

  it('throws provider_error with every attempt when all providers fail', async () => {
    const { router } = makeRouter([new ScriptedProvider('a', { default: { fail: 'connection' } })], {
      maxRetries: 1,
    });
    const error = await rejection(route(router));
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error.code).toBe('provider_error');
    expect((error as AllProvidersFailedError).failedAttempts).toHaveLength(2);
    expect(error.extensions.failed_attempts).toEqual([
      { provider: 'a', model: 'a-model', reason: 'connection' },
      { provider: 'a', model: 'a-model', reason: 'connection' },
    ]);
  });

  it('stops at the caller deadline: no fallback once the signal has aborted', async () => {
    const controller = new AbortController();
    const hanging = new ScriptedProvider('slow', {
      default: (_request, options) =>
        new Promise<GenerateResult>((_resolve, reject) =>
          options.signal.addEventListener('abort', () => reject(options.signal.reason)),
        ),
    });
    const next = new ScriptedProvider('next');
    const { router } = makeRouter([hanging, next]);
    const pending = route(router, { signal: controller.signal });
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe('provider_timeout');
    expect(next.calls).toHaveLength(0);
  });

  it('treats its own per-provider timeout as a retryable timeout', async () => {
    const hanging = new ScriptedProvider('slow', {
      default: (_request, options) =>
        new Promise<GenerateResult>((_resolve, reject) =>
          options.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    });
    const router = new ProviderRouter(
      [
        { provider: hanging, settings: testSettings({ kind: 'openai', name: 'slow', timeoutMs: 100 }) },
        { provider: new ScriptedProvider('next'), settings: testSettings({ kind: 'openai', name: 'next' }) },
      ],
      { ...baseConfig, maxRetries: 0, fallbackOrder: ['slow', 'next'] },
      new PriceTable(),
    );
    const result = await route(router);
    expect(result.provider).toBe('next');
    expect(result.failedAttempts[0]?.kind).toBe('timeout');
  });
});

describe('ProviderRouter circuit breaker and health', () => {
  it('opens after 3 consecutive failures, skips the provider, and closes after a successful half-open probe', async () => {
    const flaky = new ScriptedProvider('flaky', { default: { fail: 'server_error' } });
    const backup = new ScriptedProvider('backup');
    const states: string[] = [];
    const { router } = makeRouter(
      [flaky, backup],
      { maxRetries: 0 },
      {
        events: { onCircuitChange: (event) => states.push(`${event.provider}:${event.state}`) },
      },
    );
    for (let index = 0; index < 3; index += 1) expect((await route(router)).provider).toBe('backup');
    expect(states).toEqual(['flaky:open']);
    expect(router.listProviderStatus().find((status) => status.name === 'flaky')).toMatchObject({
      circuit: 'open',
      healthy: false,
    });

    expect((await route(router)).provider).toBe('backup');
    expect(flaky.calls).toHaveLength(3);

    flaky.setDefault({ answer: '{"ok":true}' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await route(router)).provider).toBe('flaky');
    expect(states).toEqual(['flaky:open', 'flaky:half-open', 'flaky:closed']);
    expect(router.listProviderStatus()[0]).toMatchObject({ name: 'flaky', circuit: 'closed', healthy: true });
  });

  it('disables a provider whose error rate over the window exceeds the threshold, then re-enables it', async () => {
    let now = 0;
    const flaky = new ScriptedProvider('flaky');
    const { router } = makeRouter(
      [flaky, new ScriptedProvider('backup')],
      {
        maxRetries: 0,
        healthMinRequests: 10,
        breakerFailureThreshold: 100,
      },
      { now: () => now },
    );
    for (let index = 0; index < 9; index += 1) await route(router);
    flaky.enqueue({ fail: 'timeout' }, { fail: 'timeout' });
    await route(router);
    expect(router.listProviderStatus()[0]).toMatchObject({
      healthy: true,
      recentRequests: 10,
      errorRate: 0.1,
    });
    await route(router);
    const status = router.listProviderStatus()[0]!;
    expect(status.healthy).toBe(false);
    expect(status.disabledUntil).toBe(new Date(900_000).toISOString());
    const callsWhileDisabled = flaky.calls.length;
    expect((await route(router)).provider).toBe('backup');
    expect(flaky.calls).toHaveLength(callsWhileDisabled);
    now = 900_001;
    expect((await route(router)).provider).toBe('flaky');
  });
});

describe('ProviderRouter strategies and overrides', () => {
  it('least-busy spreads concurrent requests evenly', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = (name: string) =>
      new ScriptedProvider(name, {
        default: async (request) => {
          await gate;
          return {
            text: '{}',
            model: request.model!,
            usage: { promptTokens: 1, completionTokens: 1 },
            finishReason: 'stop',
            warnings: [],
          };
        },
      });
    const [a, b] = [gated('a'), gated('b')];
    const { router } = makeRouter([a, b], { strategy: 'least-busy' });
    const pending = Array.from({ length: 6 }, () => route(router));
    expect(router.listProviderStatus().map((status) => status.inFlight)).toEqual([3, 3]);
    release();
    const results = await Promise.all(pending);
    expect(results.filter((result) => result.provider === 'a')).toHaveLength(3);
    expect([a.calls.length, b.calls.length]).toEqual([3, 3]);
  });

  it('cost picks the cheapest healthy provider and moves on when it is unhealthy', async () => {
    const gpt = new ScriptedProvider('openai', { models: ['gpt-4o'] });
    const claude = new ScriptedProvider('anthropic', { kind: 'anthropic', models: ['claude-sonnet-4-5'] });
    const gemini = new ScriptedProvider('gemini', {
      kind: 'gemini',
      models: ['gemini-2.5-flash-lite'],
      default: { answer: '{}' },
    });
    const { router } = makeRouter([claude, gpt, gemini], { strategy: 'cost', maxRetries: 0 });
    const first = await route(router);
    expect(first.provider).toBe('gemini');
    expect(first.costUsd).toBeCloseTo(0.0001 + 0.0004, 10);
    gemini.setDefault({ fail: 'server_error' });
    for (let index = 0; index < 3; index += 1) await route(router);
    const after = await route(router);
    expect(after.provider).toBe('openai');
    expect(after.failedAttempts).toEqual([]);
  });

  it('latency prefers the provider with the lower recent p95', async () => {
    const slow = new ScriptedProvider('slow', {
      default: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        return {
          text: '{}',
          model: request.model!,
          usage: { promptTokens: 1, completionTokens: 1 },
          finishReason: 'stop',
          warnings: [],
        };
      },
    });
    const fast = new ScriptedProvider('fast');
    const { router } = makeRouter([slow, fast], { strategy: 'latency' });
    await route(router, { provider: 'slow' });
    await route(router, { provider: 'fast' });
    expect((await route(router)).provider).toBe('fast');
  });

  it('priority follows the configured fallback order', async () => {
    const { router } = makeRouter([new ScriptedProvider('a'), new ScriptedProvider('b')], {
      fallbackOrder: ['b', 'a'],
    });
    expect((await route(router)).provider).toBe('b');
  });

  it('honours a per-request provider and model, and rejects unknown ones', async () => {
    const a = new ScriptedProvider('a', { models: ['m1', 'm2'] });
    const b = new ScriptedProvider('b', { models: ['m3'], default: { fail: 'server_error' } });
    const { router } = makeRouter([a, b], { maxRetries: 0 });
    expect(await route(router, { model: 'm3' }).catch((error: GatewayError) => error.code)).toBe(
      'provider_error',
    );
    expect(a.calls).toHaveLength(0);
    const pinned = await route(router, { provider: 'a', model: 'm2' });
    expect(pinned).toMatchObject({ provider: 'a', model: 'm2' });
    expect(a.calls[0]?.model).toBe('m2');
    expect((await rejection(route(router, { provider: 'nope' }))).code).toBe('bad_request');
    expect((await rejection(route(router, { model: 'unknown-model' }))).code).toBe('bad_request');
  });

  it('keeps heuristic last and answers with it when everything else is down', async () => {
    const heuristic = new ScriptedProvider('heuristic', { kind: 'heuristic', models: ['heuristic-v1'] });
    const down = new ScriptedProvider('down', { default: { fail: 'connection' } });
    const { router } = makeRouter([heuristic, down], { maxRetries: 0, fallbackOrder: ['heuristic', 'down'] });
    const result = await route(router);
    expect(result).toMatchObject({ provider: 'heuristic', costUsd: 0 });
    expect(router.listProviderStatus().map((status) => status.name)).toEqual(['down', 'heuristic']);
  });

  it('estimates the cost of the most expensive candidate and closes every provider', async () => {
    const gpt = new ScriptedProvider('openai', { models: ['gpt-4o'] });
    const mini = new ScriptedProvider('mini', { models: ['gpt-4o-mini'] });
    const { router } = makeRouter([mini, gpt]);
    const request = testRequest({ maxTokens: 1000 });
    const estimate = router.estimateCostUsd(request, {});
    expect(estimate).toBeGreaterThan(0.01);
    expect(router.estimateCostUsd(request, { provider: 'mini' })).toBeLessThan(0.001);
    await router.close();
    expect(gpt.closed && mini.closed).toBe(true);
  });
});
