import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, redisAvailable, testRedisUrl, uniqueKeyPrefix } from '../../../test/support/redis.ts';
import { RedisCacheStore } from './redis-cache-store.ts';
import { DEFLATE_FLAG, PLAIN_FLAG } from './value-codec.ts';

const url = testRedisUrl();
const available = await redisAvailable(url);

function createStore(keyPrefix: string, compressThresholdBytes = 1024): RedisCacheStore {
  return new RedisCacheStore({ url, keyPrefix, commandTimeoutMs: 2000, compressThresholdBytes });
}

/** Removes every key of the run (the prefix isolates it; never FLUSHALL the shared Redis). */
async function disposeStore(store: RedisCacheStore): Promise<void> {
  await store.deletePattern('*');
  await store.close();
}

describe.skipIf(!available)('Redis cache store', () => {
  describe('Redis specifics', () => {
    const prefix = uniqueKeyPrefix();
    let store: RedisCacheStore;
    let raw: Redis;

    beforeAll(async () => {
      store = createStore(prefix, 1024);
      await store.waitUntilReady(5000);
      raw = new Redis(url);
    });
    afterAll(async () => {
      await disposeStore(store);
      raw?.disconnect();
    });

    it('compresses values above the threshold behind a flag byte, and not below it', async () => {
      const large = JSON.stringify({ text: 'the same words again '.repeat(500) });
      await store.set('sps:resp:zip:large', large, 60_000);
      await store.set('sps:resp:zip:small', 'short', 60_000);
      const storedLarge = await raw.getBuffer(`${prefix}sps:resp:zip:large`);
      const storedSmall = await raw.getBuffer(`${prefix}sps:resp:zip:small`);
      expect(storedLarge?.[0]).toBe(DEFLATE_FLAG);
      expect(storedLarge?.length).toBeLessThan(Buffer.byteLength(large) / 4);
      expect(storedSmall?.[0]).toBe(PLAIN_FLAG);
      expect((await store.get('sps:resp:zip:large'))?.value).toBe(large);
    });

    it('treats a value it cannot decode as a miss', async () => {
      await raw.set(`${prefix}sps:resp:zip:corrupt`, Buffer.from([DEFLATE_FLAG, 1, 2, 3]));
      await raw.set(`${prefix}sps:resp:zip:future`, Buffer.from([0x7f, 65]));
      expect(await store.get('sps:resp:zip:corrupt')).toBeUndefined();
      expect(await store.get('sps:resp:zip:future')).toBeUndefined();
    });

    it('keeps counters in one hash shared by every client', async () => {
      const other = createStore(prefix);
      await other.waitUntilReady(5000);
      await store.incrementCounters({ hits: 2 });
      await other.incrementCounters({ hits: 3 });
      expect((await store.counters()).values.hits).toBe(5);
      expect(await raw.hget(`${prefix}sps:cache:stats`, 'hits')).toBe('5');
      await other.close();
    });

    it('tells other clients about pattern deletes, but not itself', async () => {
      const other = createStore(prefix);
      const heardByOther: string[] = [];
      const heardBySelf: string[] = [];
      other.onRemoteInvalidate((pattern) => heardByOther.push(pattern));
      store.onRemoteInvalidate((pattern) => heardBySelf.push(pattern));
      await other.waitUntilReady(5000);
      // The subscription is set up asynchronously: publish until it is heard.
      await eventually(async () => {
        await store.deletePattern('sps:resp:gone_*:*');
        return heardByOther.length > 0;
      }, 'invalidation to reach the other client');
      expect(heardByOther[0]).toBe('sps:resp:gone_*:*');
      expect(heardBySelf).toEqual([]);
      await other.close();
    });
  });
});
