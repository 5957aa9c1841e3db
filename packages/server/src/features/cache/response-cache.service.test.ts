import { describe, expect, it } from 'vitest';
import { schemaHash } from '../../lib/canonical-json.ts';
import { MemoryCacheStore } from '../../platform/cache-store/memory-cache-store.ts';
import { TieredCache } from '../../platform/cache-store/tiered-cache.ts';
import type { CacheKeyInput } from './cache-key.ts';
import { buildCacheKey } from './cache-key.ts';
import type { ComputedResponse } from './response-cache.service.ts';
import { ResponseCacheService } from './response-cache.service.ts';

function createService(enabled = true) {
  const l1 = new MemoryCacheStore({ maxEntries: 1000, maxBytes: 1024 * 1024 });
  const cache = new TieredCache({ l1, l2TimeoutMs: 500 });
  return new ResponseCacheService({ cache, enabled, defaultTtlSeconds: 3600, levelStatsCacheMs: 0 });
}

const invoiceSchema = { type: 'object', properties: { total: { type: 'number' } } };
const input: CacheKeyInput = { prompt: 'Total of invoice 42', schemaHash: schemaHash(invoiceSchema) };
const invoiceKey = buildCacheKey({ ...input, schemaName: 'invoice_v1' });

/** A stand-in for the provider pipeline that counts its calls. */
function counter(answer: (call: number) => unknown = (call) => ({ call })) {
  const state = { calls: 0 };
  const compute = async (): Promise<ComputedResponse<unknown>> => {
    state.calls += 1;
    return { value: answer(state.calls), usage: { totalTokens: 120, costUsd: 0.0003 } };
  };
  return { state, compute };
}

describe('ResponseCacheService', () => {
  it('serves the second identical request from cache and counts the savings', async () => {
    const service = createService();
    const { state, compute } = counter();
    const first = await service.getOrCompute(invoiceKey, compute);
    const second = await service.getOrCompute(invoiceKey, compute);
    expect(state.calls).toBe(1);
    expect(first).toMatchObject({ cached: false, level: null, value: { call: 1 } });
    expect(second).toMatchObject({
      cached: true,
      level: 'l1',
      value: { call: 1 },
      usage: { totalTokens: 120 },
    });
    expect(second.storedAt).not.toBeNull();
    const stats = await service.stats();
    expect(stats).toMatchObject({ hits: 1, misses: 1, hit_rate: 0.5, tokens_saved: 120, cluster: null });
    expect(stats.usd_saved).toBeCloseTo(0.0003, 12);
    expect(stats.levels.l1.entries).toBe(1);
    expect(stats.levels.l2.status).toBe('not_configured');
  });

  it('misses when schema, temperature or model differ', async () => {
    const service = createService();
    const { state, compute } = counter();
    await service.getOrCompute(buildCacheKey(input), compute);
    await service.getOrCompute(
      buildCacheKey({ ...input, schemaHash: schemaHash({ ...invoiceSchema, required: ['total'] }) }),
      compute,
    );
    await service.getOrCompute(buildCacheKey({ ...input, temperature: 0.9 }), compute);
    await service.getOrCompute(buildCacheKey({ ...input, model: 'other-model' }), compute);
    expect(state.calls).toBe(4);
  });

  it('bypass skips the read and refreshes the entry', async () => {
    const service = createService();
    const { state, compute } = counter();
    await service.getOrCompute(invoiceKey, compute);
    const bypassed = await service.getOrCompute(invoiceKey, compute, { bypass: true });
    expect(bypassed).toMatchObject({ cached: false, value: { call: 2 } });
    const after = await service.getOrCompute(invoiceKey, compute);
    expect(after).toMatchObject({ cached: true, value: { call: 2 } });
    expect(state.calls).toBe(2);
    expect((await service.stats()).bypassed).toBe(1);
  });

  it('stores the answer with what it cost and when, and serves it back as it was stored', async () => {
    const l1 = new MemoryCacheStore({ maxEntries: 10, maxBytes: 1024 * 1024 });
    const service = new ResponseCacheService({
      cache: new TieredCache({ l1, l2TimeoutMs: 500 }),
      enabled: true,
      defaultTtlSeconds: 3600,
    });
    const before = Date.now();
    await service.getOrCompute(
      invoiceKey,
      counter((call) => ({ call, text: 'é "q"', list: [1, null] })).compute,
    );
    const stored = JSON.parse((await l1.get(invoiceKey.text))?.value ?? 'null');
    expect(stored).toEqual({
      v: 1,
      value: { call: 1, text: 'é "q"', list: [1, null] },
      usage: { totalTokens: 120, costUsd: 0.0003 },
      storedAt: expect.any(String),
    });
    expect(Date.parse(stored.storedAt)).toBeGreaterThanOrEqual(before - 1000);
    const hit = await service.getOrCompute(invoiceKey, counter().compute);
    expect(hit).toMatchObject({ cached: true, value: stored.value, storedAt: stored.storedAt });
  });

  it('treats an entry it cannot read as a miss and replaces it', async () => {
    const l1 = new MemoryCacheStore({ maxEntries: 10, maxBytes: 1024 * 1024 });
    const service = new ResponseCacheService({
      cache: new TieredCache({ l1, l2TimeoutMs: 500 }),
      enabled: true,
      defaultTtlSeconds: 3600,
    });
    await l1.set(invoiceKey.text, '{"v":0,"value":"from another format"}', 60_000);
    const { state, compute } = counter();
    const outcome = await service.getOrCompute(invoiceKey, compute);
    expect(outcome).toMatchObject({ cached: false, value: { call: 1 } });
    expect(state.calls).toBe(1);
    expect(await service.getOrCompute(invoiceKey, compute)).toMatchObject({
      cached: true,
      value: { call: 1 },
    });
  });

  it('caches only results the caller marks cacheable', async () => {
    const service = createService();
    const { state, compute } = counter((call) => ({ valid: call > 1 }));
    const cacheable = (result: ComputedResponse<unknown>) => (result.value as { valid: boolean }).valid;
    await service.getOrCompute(invoiceKey, compute, { cacheable });
    await service.getOrCompute(invoiceKey, compute, { cacheable });
    const third = await service.getOrCompute(invoiceKey, compute, { cacheable });
    expect(state.calls).toBe(2);
    expect(third).toMatchObject({ cached: true, value: { valid: true } });
  });

  it('stores nothing for a TTL of 0, and stores for any other TTL', async () => {
    const service = createService();
    const { state, compute } = counter();
    await service.getOrCompute(invoiceKey, compute, { ttlSeconds: 0 });
    const second = await service.getOrCompute(invoiceKey, compute, { ttlSeconds: 1 });
    const third = await service.getOrCompute(invoiceKey, compute);
    expect(state.calls).toBe(2);
    expect(second.cached).toBe(false);
    expect(third).toMatchObject({ cached: true, value: { call: 2 } });
  });

  it('coalesces 20 concurrent identical requests into one computation', async () => {
    const service = createService();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const compute = async () => {
      calls += 1;
      await gate;
      return { value: 'shared', usage: { totalTokens: 10, costUsd: 0.01 } };
    };
    const pending = Array.from({ length: 20 }, () => service.getOrCompute(invoiceKey, compute));
    // Let every caller finish its cache read and join before the computation ends.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const outcomes = await Promise.all(pending);
    expect(calls).toBe(1);
    expect(outcomes.every((outcome) => outcome.value === 'shared')).toBe(true);
    expect(outcomes.filter((outcome) => outcome.coalesced)).toHaveLength(19);
    expect((await service.stats()).coalesced).toBe(19);
  });

  it('computes an exclusive request alone: it neither joins nor is joined, and its result is stored', async () => {
    const service = createService();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const compute = async () => {
      calls += 1;
      await gate;
      return { value: `call ${calls}`, usage: { totalTokens: 10, costUsd: 0.01 } };
    };
    const exclusive = service.getOrCompute(invoiceKey, compute, { exclusive: true });
    const shared = [service.getOrCompute(invoiceKey, compute), service.getOrCompute(invoiceKey, compute)];
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const [alone, ...others] = await Promise.all([exclusive, ...shared]);
    expect(calls).toBe(2);
    expect(alone!.coalesced).toBe(false);
    expect(others.filter((outcome) => outcome.coalesced)).toHaveLength(1);
    expect((await service.getOrCompute(invoiceKey, compute)).cached).toBe(true);
  });

  it('propagates a failure to every waiter and never caches it', async () => {
    const service = createService();
    let calls = 0;
    const failing = async (): Promise<ComputedResponse<string>> => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('output did not validate');
    };
    const settled = await Promise.allSettled(
      Array.from({ length: 5 }, () => service.getOrCompute(invoiceKey, failing)),
    );
    expect(settled.every((result) => result.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
    expect((await service.stats()).levels.l1.entries).toBe(0);
    const recovered = await service.getOrCompute(invoiceKey, async () => ({
      value: 'ok',
      usage: { totalTokens: 1, costUsd: 0 },
    }));
    expect(recovered).toMatchObject({ cached: false, value: 'ok' });
  });

  it('looks many keys up at once: hits by key text, one hit or miss counted per distinct key', async () => {
    const service = createService();
    const { state, compute } = counter();
    const keys = ['a', 'b', 'c'].map((prompt) => buildCacheKey({ ...input, prompt }));
    const [a, b, c] = keys as [typeof invoiceKey, typeof invoiceKey, typeof invoiceKey];
    await service.getOrCompute(a, compute);
    await service.getOrCompute(c, compute);
    const before = await service.stats();
    const hits = await service.getMany<unknown>([a, b, c, a]);
    expect([...hits.keys()].sort()).toEqual([a.text, c.text].sort());
    expect(hits.get(a.text)).toMatchObject({ cached: true, level: 'l1', value: { call: 1 } });
    expect(hits.get(c.text)).toMatchObject({ cached: true, value: { call: 2 } });
    const after = await service.stats();
    expect(after.hits - before.hits).toBe(2);
    expect(after.misses - before.misses).toBe(1);
    // A miss is then computed without a second read, and stored for the next lookup.
    expect(await service.compute(b, compute)).toMatchObject({ cached: false, value: { call: 3 } });
    expect((await service.getMany<unknown>([b])).get(b.text)).toMatchObject({ value: { call: 3 } });
    expect(state.calls).toBe(3);
    expect((await service.stats()).misses).toBe(after.misses);
  });

  it('finds nothing when disabled', async () => {
    const service = createService(false);
    const { compute } = counter();
    await service.compute(invoiceKey, compute);
    expect((await service.getMany([invoiceKey])).size).toBe(0);
  });

  it('computes every time when disabled', async () => {
    const service = createService(false);
    const { state, compute } = counter();
    await service.getOrCompute(invoiceKey, compute);
    await service.getOrCompute(invoiceKey, compute);
    expect(state.calls).toBe(2);
  });

  it('invalidates by namespace pattern and returns the count', async () => {
    const service = createService();
    const { compute } = counter();
    for (const schemaName of ['invoice_v1', 'invoice_v2', 'receipt']) {
      await service.getOrCompute(buildCacheKey({ ...input, schemaName }), compute);
    }
    expect(await service.invalidate('invoice_*')).toEqual({ removed: 2, complete: true });
    expect(
      (await service.getOrCompute(buildCacheKey({ ...input, schemaName: 'receipt' }), compute)).cached,
    ).toBe(true);
    expect((await service.getOrCompute(invoiceKey, compute)).cached).toBe(false);
    await expect(service.invalidate('a:b')).rejects.toThrow(/pattern may contain only/);
  });

  it('warms in the background and reports what it did', async () => {
    const service = createService();
    const prompts = ['one', 'two', 'one', 'boom'];
    const handle = service.warm(
      prompts,
      async (prompt) => {
        if (prompt === 'boom') throw new Error('provider failed');
        const key = buildCacheKey({ ...input, prompt });
        return service.getOrCompute(key, async () => ({
          value: prompt,
          usage: { totalTokens: 5, costUsd: 0 },
        }));
      },
      { concurrency: 1, ownerKeyId: 'key-1' },
    );
    const report = await handle.done;
    expect(report).toMatchObject({ status: 'completed', total: 4, warmed: 2, already_cached: 1, failed: 1 });
    expect(report.errors).toEqual([{ index: 3, message: 'provider failed' }]);
    expect(service.warmStatus(handle.id)).toMatchObject({
      report: { status: 'completed' },
      ownerKeyId: 'key-1',
    });
    expect(
      (await service.getOrCompute(buildCacheKey({ ...input, prompt: 'two' }), counter().compute)).cached,
    ).toBe(true);
  });
});
