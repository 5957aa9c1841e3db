import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PausableProxy } from '../../../test/support/pausable-proxy.ts';
import {
  eventually,
  RedisTestServer,
  redisAvailable,
  testRedisUrl,
  uniqueKeyPrefix,
} from '../../../test/support/redis.ts';
import { buildCacheKey } from '../../features/cache/cache-key.ts';
import { createResponseCache } from '../../features/cache/create-response-cache.ts';
import { ResponseCacheService } from '../../features/cache/response-cache.service.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import { createCacheHealthCheck } from './cache-health-check.ts';
import { MemoryCacheStore } from './memory-cache-store.ts';
import { RedisCacheStore } from './redis-cache-store.ts';
import { TieredCache } from './tiered-cache.ts';

const newL1 = () => new MemoryCacheStore({ maxEntries: 1000, maxBytes: 4 * 1024 * 1024 });

function createTiered(url: string, keyPrefix: string) {
  const l2 = new RedisCacheStore({ url, keyPrefix, commandTimeoutMs: 300, compressThresholdBytes: 1024 });
  const tiered = new TieredCache({ l1: newL1(), l2, l2TimeoutMs: 300, l2RetryAfterMs: 100 });
  return { l2, tiered };
}

const passes = (check: () => Promise<void>) =>
  check().then(
    () => true,
    () => false,
  );

describe('TieredCache with its own Redis that goes down and comes back', () => {
  let server: RedisTestServer;
  let l2: RedisCacheStore;
  let tiered: TieredCache;

  beforeAll(async () => {
    server = await RedisTestServer.start();
    ({ l2, tiered } = createTiered(server.url, uniqueKeyPrefix()));
    await l2.waitUntilReady(5000);
  });
  afterAll(async () => {
    try {
      await tiered?.close();
    } finally {
      await server?.stop();
    }
  });

  it('keeps answering from L1, reports degraded, and recovers after a restart', async () => {
    const health = createCacheHealthCheck(tiered);
    if (!health) throw new Error('expected a health check with L2');
    const probe = () => health.check(AbortSignal.timeout(2000));
    expect(health).toMatchObject({ name: 'cache', required: false });
    await probe();

    await tiered.set('sps:resp:default:before', 'v1', 60_000);
    expect((await l2.get('sps:resp:default:before'))?.value).toBe('v1');

    await server.stop();
    // Reads and writes keep working from L1 while Redis is gone.
    expect(await tiered.get('sps:resp:default:before')).toMatchObject({ value: 'v1', level: 'l1' });
    await tiered.set('sps:resp:default:during', 'v2', 60_000);
    expect(await tiered.get('sps:resp:default:during')).toMatchObject({ value: 'v2', level: 'l1' });
    await expect(probe()).rejects.toThrow();
    expect(tiered.degraded).toBe(true);
    expect(tiered.l2Status).toBe('down');
    expect((await tiered.levelStats()).l2).toBeNull();

    // The service built on it still answers and still caches.
    const service = new ResponseCacheService({ cache: tiered, enabled: true, defaultTtlSeconds: 60 });
    let calls = 0;
    const compute = async () => {
      calls += 1;
      return { value: { ok: true }, usage: { totalTokens: 3, costUsd: 0 } };
    };
    const key = buildCacheKey({ prompt: 'during outage', schemaHash: schemaHash({ type: 'string' }) });
    await service.getOrCompute(key, compute);
    expect(await service.getOrCompute(key, compute)).toMatchObject({ cached: true, level: 'l1' });
    expect(calls).toBe(1);
    expect((await service.stats()).degraded).toBe(true);
    await service.close();

    await server.start();
    // The client reconnects by itself; the health probe notices without any restart of ours.
    await eventually(() => passes(probe), 'health check to pass after Redis restart');
    expect(tiered.degraded).toBe(false);
    await tiered.set('sps:resp:default:after', 'v3', 60_000);
    expect((await l2.get('sps:resp:default:after'))?.value).toBe('v3');
    expect((await tiered.levelStats()).l2?.entries).toBe(1);
  });

  it('treats a Redis that stops answering as down and serves L1 meanwhile', async () => {
    // Through a proxy that holds requests: connections stay open, answers just do not come.
    const proxy = await PausableProxy.start(server.port);
    const slow = createTiered(proxy.url, uniqueKeyPrefix());
    await slow.l2.waitUntilReady(5000);
    await slow.tiered.set('sps:resp:default:slow', 'local copy', 60_000);
    expect((await slow.l2.get('sps:resp:default:slow'))?.value).toBe('local copy');

    proxy.pause();
    expect(await slow.tiered.get('sps:resp:default:slow')).toMatchObject({
      value: 'local copy',
      level: 'l1',
    });
    // Keys only L2 could hold: the read gives up after the command timeout instead of hanging.
    const many = await slow.tiered.getMany(['sps:resp:default:slow', 'sps:resp:default:not-anywhere']);
    expect(many.map((hit) => hit?.level)).toEqual(['l1', undefined]);
    expect(await slow.tiered.get('sps:resp:default:not-anywhere')).toBeUndefined();
    expect(slow.tiered.degraded).toBe(true);
    await expect(slow.tiered.pingL2(AbortSignal.timeout(2000))).rejects.toThrow();

    proxy.resume();
    await eventually(
      () =>
        slow.tiered.pingL2().then(
          () => true,
          () => false,
        ),
      'L2 to answer again once Redis is responsive',
    );
    expect(slow.tiered.degraded).toBe(false);
    await slow.tiered.close();
    await proxy.close();
  });
});

const sharedUrl = testRedisUrl();
const sharedAvailable = await redisAvailable(sharedUrl);

describe.skipIf(!sharedAvailable)('TieredCache replicas sharing one Redis', () => {
  const prefix = uniqueKeyPrefix();
  const replicas: Array<ReturnType<typeof createTiered>> = [];

  beforeAll(async () => {
    for (let index = 0; index < 2; index++) replicas.push(createTiered(sharedUrl, prefix));
    await Promise.all(replicas.map(({ l2 }) => l2.waitUntilReady(5000)));
  });
  afterAll(async () => {
    await replicas[0]?.l2.deletePattern('*');
    await Promise.all(replicas.map(({ tiered }) => tiered.close()));
  });

  it('reads what another replica wrote from L2 and back-fills L1', async () => {
    const [a, b] = replicas as [ReturnType<typeof createTiered>, ReturnType<typeof createTiered>];
    await a.tiered.set('sps:resp:shared:k1', 'from a', 60_000);
    expect(await b.tiered.get('sps:resp:shared:k1')).toMatchObject({ value: 'from a', level: 'l2' });
    expect(await b.tiered.get('sps:resp:shared:k1')).toMatchObject({ value: 'from a', level: 'l1' });
  });

  it('reads many keys: L1 first, the rest from L2 (written by another replica), back-filling L1', async () => {
    const [a, b] = replicas as [ReturnType<typeof createTiered>, ReturnType<typeof createTiered>];
    await b.tiered.set('sps:resp:many:local', 'from b', 60_000);
    await a.tiered.set('sps:resp:many:remote', 'from a', 60_000);
    const keys = ['sps:resp:many:local', 'sps:resp:many:remote', 'sps:resp:many:nowhere'];
    const first = await b.tiered.getMany(keys);
    expect(first.map((hit) => hit && [hit.value, hit.level])).toEqual([
      ['from b', 'l1'],
      ['from a', 'l2'],
      undefined,
    ]);
    const again = await b.tiered.getMany(keys);
    expect(again.map((hit) => hit?.level)).toEqual(['l1', 'l1', undefined]);
  });

  it('drops an invalidated entry from the other replica L1 too', async () => {
    const [a, b] = replicas as [ReturnType<typeof createTiered>, ReturnType<typeof createTiered>];
    await a.tiered.set('sps:resp:invoice_x:k2', 'old', 60_000);
    expect((await b.tiered.get('sps:resp:invoice_x:k2'))?.level).toBe('l2');
    expect((await b.tiered.get('sps:resp:invoice_x:k2'))?.level).toBe('l1');
    expect(await a.tiered.deletePattern('sps:resp:invoice_*:*')).toEqual({ removed: 1, complete: true });
    // Without the fan-out, b would keep answering from its L1 until the TTL.
    await eventually(async () => (await b.tiered.get('sps:resp:invoice_x:k2')) === undefined, 'b to drop it');
  });

  it('sums statistics across replicas', async () => {
    const services = replicas.map(
      ({ tiered }) => new ResponseCacheService({ cache: tiered, enabled: true, defaultTtlSeconds: 60 }),
    );
    const key = buildCacheKey({ prompt: 'shared stats', schemaHash: schemaHash({ type: 'string' }) });
    const compute = async () => ({ value: 1, usage: { totalTokens: 50, costUsd: 0.002 } });
    for (const service of services) {
      await service.getOrCompute(key, compute);
      await service.drain();
      await service.getOrCompute(key, compute);
    }
    const stats = await services[0]!.stats();
    await services[1]!.stats(); // flushes replica b's counters
    const cluster = (await services[0]!.stats()).cluster;
    expect(stats).toMatchObject({ hits: 1, misses: 1 });
    expect(cluster).toMatchObject({ hits: 3, misses: 1, tokens_saved: 150 });
    expect(cluster?.usd_saved).toBeCloseTo(0.006, 9);
    await Promise.all(services.map((service) => service.close()));
  });

  it('is built from config by createResponseCache, with a passing health check', async () => {
    const cache = createResponseCache(
      {
        cache: {
          enabled: true,
          ttlSeconds: 60,
          l1MaxEntries: 100,
          l1MaxBytes: 1024 * 1024,
          compressThresholdBytes: 1024,
          lowercasePrompts: false,
        },
        redis: { url: sharedUrl, commandTimeoutMs: 500 },
      },
      { redisKeyPrefix: prefix },
    );
    expect(await cache.ready(5000)).toBe(true);
    await cache.healthCheck?.check(AbortSignal.timeout(2000));
    expect(cache.healthCheck).toMatchObject({ name: 'cache', required: false });
    expect((await cache.service.stats()).levels.l2.status).toBe('up');
    await cache.close();
  });
});
