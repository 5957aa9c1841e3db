import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, redisAvailable, testRedisUrl, uniqueKeyPrefix } from '../../../test/support/redis.ts';
import type { CacheStore } from './cache-store.ts';
import { MemoryCacheStore } from './memory-cache-store.ts';
import { RedisCacheStore } from './redis-cache-store.ts';
import { TieredCache } from './tiered-cache.ts';

/**
 * The one behaviour contract of a cache level, run against every implementation: the in-process LRU,
 * Redis, and the tiered cache (LRU over Redis) that the service reads and writes through.
 */

interface Subject {
  store: CacheStore;
  /** Removes whatever the run left behind and closes the store. */
  dispose(): Promise<void>;
}

const url = testRedisUrl();
const redisUp = await redisAvailable(url);

const newMemory = () => new MemoryCacheStore({ maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 });
const newRedis = () =>
  new RedisCacheStore({
    url,
    keyPrefix: uniqueKeyPrefix(),
    commandTimeoutMs: 2000,
    compressThresholdBytes: 1024,
  });

/** The tiered cache seen through the one-level contract: what its callers get from each operation. */
function tieredAsStore(tiered: TieredCache): CacheStore {
  return {
    kind: 'tiered',
    async get(key) {
      const hit = await tiered.get(key);
      return hit && { value: hit.value, ttlMs: hit.ttlMs };
    },
    async getMany(keys) {
      const hits = await tiered.getMany(keys);
      return hits.map((hit) => hit && { value: hit.value, ttlMs: hit.ttlMs });
    },
    set: (key, value, ttlMs) => tiered.set(key, value, ttlMs),
    delete: (key) => tiered.delete(key),
    deletePattern: async (pattern) => (await tiered.deletePattern(pattern)).removed,
    async incrementCounters(deltas) {
      if (!(await tiered.incrementSharedCounters(deltas))) throw new Error('L2 did not take the counters');
    },
    async counters() {
      const counters = await tiered.sharedCounters();
      if (!counters) throw new Error('L2 did not answer with its counters');
      return counters;
    },
    async stats() {
      const levels = await tiered.levelStats();
      return levels.l2 ?? levels.l1;
    },
    ping: () => tiered.pingL2(),
    close: () => tiered.close(),
  };
}

const implementations: Array<{ name: string; needsRedis: boolean; create(): Promise<Subject> }> = [
  {
    name: 'memory',
    needsRedis: false,
    async create() {
      const store = newMemory();
      return { store, dispose: () => store.close() };
    },
  },
  {
    name: 'redis',
    needsRedis: true,
    async create() {
      const store = newRedis();
      await store.waitUntilReady(5000);
      return {
        store,
        async dispose() {
          await store.deletePattern('*');
          await store.close();
        },
      };
    },
  },
  {
    name: 'tiered (memory over Redis)',
    needsRedis: true,
    async create() {
      const l2 = newRedis();
      await l2.waitUntilReady(5000);
      const tiered = new TieredCache({ l1: newMemory(), l2, l2TimeoutMs: 2000 });
      return {
        store: tieredAsStore(tiered),
        async dispose() {
          await l2.deletePattern('*');
          await tiered.close();
        },
      };
    },
  },
];

for (const implementation of implementations) {
  const skipped = implementation.needsRedis && !redisUp;
  const title = `CacheStore conformance: ${implementation.name}${skipped ? ` (skipped: no Redis at ${url})` : ''}`;
  describe.skipIf(skipped)(title, () => conformanceCases(implementation.create));
}

function conformanceCases(create: () => Promise<Subject>): void {
  let subject: Subject | undefined;
  let store: CacheStore;
  let run = 0;
  /** Fresh keys per test so tests never see each other's entries. */
  const key = (namespace: string, id: string | number) => `sps:resp:${namespace}-${run}:${id}`;

  beforeAll(async () => {
    subject = await create();
    store = subject.store;
  });
  afterAll(async () => {
    await subject?.dispose();
  });

  it('sets, gets, overwrites and deletes', async () => {
    run += 1;
    expect(await store.get(key('a', 1))).toBeUndefined();
    await store.set(key('a', 1), '{"answer":1}', 60_000);
    const stored = await store.get(key('a', 1));
    expect(stored?.value).toBe('{"answer":1}');
    expect(stored?.ttlMs).toBeGreaterThan(0);
    expect(stored?.ttlMs).toBeLessThanOrEqual(60_000);
    await store.set(key('a', 1), '{"answer":2}', 60_000);
    expect((await store.get(key('a', 1)))?.value).toBe('{"answer":2}');
    expect(await store.delete(key('a', 1))).toBe(true);
    expect(await store.delete(key('a', 1))).toBe(false);
    expect(await store.get(key('a', 1))).toBeUndefined();
  });

  it('reads many keys at once: one slot per key, in order, misses and repeats included', async () => {
    run += 1;
    expect(await store.getMany([])).toEqual([]);
    const large = JSON.stringify({ rows: Array.from({ length: 500 }, (_, index) => `Zoë → 東京 ${index}`) });
    await store.set(key('many', 1), 'one', 60_000);
    await store.set(key('many', 3), 'three', 60_000);
    await store.set(key('many', 'large'), large, 60_000);
    const keys = [key('many', 1), key('many', 2), key('many', 3), key('many', 1), key('many', 'large')];
    const stored = await store.getMany(keys);
    expect(stored.map((entry) => entry?.value)).toEqual(['one', undefined, 'three', 'one', large]);
    for (const entry of stored.filter((candidate) => candidate !== undefined))
      expect(entry.ttlMs).toBeGreaterThan(0);
    // The same answers one key at a time: the batch read is no other view of the store.
    for (const [index, one] of keys.entries())
      expect((await store.get(one))?.value).toBe(stored[index]?.value);
    await store.delete(key('many', 3));
    expect((await store.getMany([key('many', 3), key('many', 1)])).map((entry) => entry?.value)).toEqual([
      undefined,
      'one',
    ]);
  });

  it('expires entries after their TTL', async () => {
    run += 1;
    await store.set(key('ttl', 'short'), 'soon gone', 150);
    await store.set(key('ttl', 'long'), 'stays', 60_000);
    // Polled rather than slept: the entry must disappear, however loaded the machine is.
    await eventually(
      async () => (await store.get(key('ttl', 'short'))) === undefined,
      'short entry to expire',
    );
    expect((await store.get(key('ttl', 'long')))?.value).toBe('stays');
  });

  it('round-trips large and non-ASCII values unchanged', async () => {
    run += 1;
    const rows = Array.from({ length: 3000 }, (_, index) => ({ index, text: `Zoë → 東京 ${index} 🚀` }));
    const large = JSON.stringify({ rows });
    await store.set(key('big', 1), large, 60_000);
    expect((await store.get(key('big', 1)))?.value).toBe(large);
    for (const value of ['', 'x', '\u0000\u0001 binary-ish', 'é'.repeat(1024)]) {
      await store.set(key('big', 2), value, 60_000);
      expect((await store.get(key('big', 2)))?.value).toBe(value);
    }
  });

  it('deletes by pattern across many keys and leaves the rest', async () => {
    run += 1;
    const writes: Array<Promise<void>> = [];
    for (let index = 0; index < 1200; index++) writes.push(store.set(key('invoice_a', index), 'v', 60_000));
    for (let index = 0; index < 1300; index++) writes.push(store.set(key('invoice_b', index), 'v', 60_000));
    for (let index = 0; index < 40; index++) writes.push(store.set(key('receipt', index), 'v', 60_000));
    await Promise.all(writes);

    expect(await store.deletePattern(`sps:resp:invoice_?-${run}:*`)).toBe(2500);
    expect(await store.get(key('invoice_a', 7))).toBeUndefined();
    expect((await store.get(key('receipt', 7)))?.value).toBe('v');
    // Characters other than * and ? are literal: `[` must not act as a character class.
    expect(await store.deletePattern(`sps:resp:[r]eceipt-${run}:*`)).toBe(0);
    expect(await store.deletePattern(`sps:resp:receipt-${run}:*`)).toBe(40);
    expect(await store.deletePattern(`sps:resp:receipt-${run}:*`)).toBe(0);
  });

  it('reports entries and bytes', async () => {
    run += 1;
    const before = await store.stats();
    await store.set(key('stats', 1), 'a'.repeat(100), 60_000);
    await store.set(key('stats', 2), 'b'.repeat(100), 60_000);
    const after = await store.stats();
    expect(after.entries - before.entries).toBe(2);
    expect(after.bytes - before.bytes).toBeGreaterThanOrEqual(200);
    await store.delete(key('stats', 1));
    expect((await store.stats()).entries - before.entries).toBe(1);
  });

  it('adds counters and reads them back', async () => {
    const before = await store.counters();
    await store.incrementCounters({ hits: 3, misses: 1, usd_saved_nano: 1_500 });
    await store.incrementCounters({ hits: 2, misses: 0 });
    const after = await store.counters();
    expect((after.values.hits ?? 0) - (before.values.hits ?? 0)).toBe(5);
    expect((after.values.misses ?? 0) - (before.values.misses ?? 0)).toBe(1);
    expect((after.values.usd_saved_nano ?? 0) - (before.values.usd_saved_nano ?? 0)).toBe(1_500);
    expect(Number.isNaN(Date.parse(after.since))).toBe(false);
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
}
