import { afterAll, describe, expect, it } from 'vitest';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import { RedisCircuit } from '../redis/redis-circuit.ts';
import {
  createMemoryRateLimitStore,
  createRedisRateLimitStore,
  type LimitPolicy,
  type RateLimitStore,
} from './rate-limit-store.ts';

// Redis is healthy in these tests: a generous timeout keeps a loaded machine from opening the circuit.
const healthyCircuit = () => new RedisCircuit({ timeoutMs: 10_000, label: 'limits' });

const prefix = uniquePrefix('rate-limit-store');
const redis = (await redisAvailable()) ? testRedisClient() : undefined;
afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const implementations: Array<{ name: string; create?: () => RateLimitStore }> = [
  { name: 'memory', create: () => createMemoryRateLimitStore() },
  { name: 'redis', create: redis && (() => createRedisRateLimitStore(redis, prefix, healthyCircuit())) },
];

const uniqueKey = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

/** Behaviour every RateLimitStore has: the same cases against each implementation. */
for (const { name, create } of implementations) {
  const title = create
    ? `RateLimitStore [${name}]`
    : `RateLimitStore [${name}] (skipped: no Redis reachable)`;
  describe.skipIf(!create)(title, () => {
    const makeStore = () => create!();
    const policy: LimitPolicy = { name: 'conformance', points: 3, windowSeconds: 60 };

    it('admits exactly `points` requests in a window and refuses the next', async () => {
      const store = makeStore();
      const key = uniqueKey('exact');
      const decisions = [];
      for (let index = 0; index < 5; index += 1) decisions.push(await store.consume(policy, key));
      expect(decisions.map((entry) => entry.allowed)).toEqual([true, true, true, false, false]);
      expect(decisions.map((entry) => entry.remaining)).toEqual([2, 1, 0, 0, 0]);
      expect(decisions[3]!.limit).toBe(3);
      expect(decisions[3]!.resetMs).toBeGreaterThan(0);
      expect(decisions[3]!.resetMs).toBeLessThanOrEqual(60_000);
    });

    it('keeps keys apart', async () => {
      const store = makeStore();
      const [first, second] = [uniqueKey('a'), uniqueKey('b')];
      for (let index = 0; index < 3; index += 1) await store.consume(policy, first);
      expect((await store.consume(policy, first)).allowed).toBe(false);
      expect((await store.consume(policy, second)).allowed).toBe(true);
    });

    it('admits exactly the limit under concurrent consumption', async () => {
      const store = makeStore();
      const key = uniqueKey('concurrent');
      const wide: LimitPolicy = { name: 'conformance-wide', points: 25, windowSeconds: 60 };
      const results = await Promise.all(Array.from({ length: 60 }, () => store.consume(wide, key)));
      expect(results.filter((entry) => entry.allowed)).toHaveLength(25);
    });

    it('consumes several points at once; a refusal takes nothing; penalty and reward adjust', async () => {
      const store = makeStore();
      const key = uniqueKey('points');
      const tokens: LimitPolicy = { name: 'conformance-tokens', points: 100, windowSeconds: 60 };
      expect((await store.consume(tokens, key, 60)).remaining).toBe(40);
      expect((await store.consume(tokens, key, 50)).allowed).toBe(false);
      expect((await store.peek(tokens, key)).remaining).toBe(40);
      await store.reward(tokens, key, 30);
      expect((await store.peek(tokens, key)).remaining).toBe(70);
      await store.penalty(tokens, key, 70);
      expect((await store.peek(tokens, key)).remaining).toBe(0);
      expect((await store.consume(tokens, key, 1)).allowed).toBe(false);
    });

    it('peek does not consume, and reset clears the count', async () => {
      const store = makeStore();
      const key = uniqueKey('peek');
      expect(await store.peek(policy, key)).toEqual({
        allowed: true,
        limit: 3,
        remaining: 3,
        resetMs: 60_000,
      });
      await store.consume(policy, key);
      expect((await store.peek(policy, key)).remaining).toBe(2);
      expect((await store.peek(policy, key)).remaining).toBe(2);
      await store.reset(policy, key);
      expect((await store.peek(policy, key)).remaining).toBe(3);
    });

    /** A fresh store, a key of its own and a policy that locks out once its points are used. */
    const lockoutCase = (caseName: string, points: number, windowSeconds: number, blockSeconds: number) => {
      const lockout: LimitPolicy = { name: `conformance-${caseName}`, points, windowSeconds, blockSeconds };
      return { store: makeStore(), key: uniqueKey(caseName), lockout };
    };

    it('blocks for blockSeconds once exhausted (lockout), and counts every attempt', async () => {
      const { store, key, lockout } = lockoutCase('lockout', 2, 1, 300);
      await store.consume(lockout, key);
      await store.consume(lockout, key);
      const refused = await store.consume(lockout, key);
      expect(refused.allowed).toBe(false);
      // The window is 1 s but the block lasts 300 s: the reset must reflect the block.
      expect(refused.resetMs).toBeGreaterThan(250_000);
      const peeked = await store.peek(lockout, key);
      expect(peeked).toMatchObject({ allowed: false, remaining: 0 });
      expect(peeked.resetMs).toBeGreaterThan(250_000);
    });

    it('block() starts a lockout at once', async () => {
      const { store, key, lockout } = lockoutCase('explicit-block', 5, 60, 120);
      await store.block(lockout, key);
      expect(await store.peek(lockout, key)).toMatchObject({ allowed: false, remaining: 0 });
      const refused = await store.consume(lockout, key);
      expect(refused.allowed).toBe(false);
      expect(refused.resetMs).toBeGreaterThan(100_000);
    });

    it('expires the window', async () => {
      const store = makeStore();
      const key = uniqueKey('expiry');
      const short: LimitPolicy = { name: 'conformance-short', points: 1, windowSeconds: 1 };
      await store.consume(short, key);
      expect((await store.consume(short, key)).allowed).toBe(false);
      await expect
        .poll(async () => (await store.peek(short, key)).remaining, { timeout: 5000, interval: 100 })
        .toBe(1);
      expect((await store.consume(short, key)).allowed).toBe(true);
    });
  });
}

describe.skipIf(!redis)(
  `RateLimitStore [redis]: shared counts${redis ? '' : ' (skipped: no Redis reachable)'}`,
  () => {
    it('counts once for every store on the same Redis, and a key keeps its count when its limit changes', async () => {
      const [first, second] = [
        createRedisRateLimitStore(redis!, prefix, healthyCircuit()),
        createRedisRateLimitStore(redis!, prefix, healthyCircuit()),
      ];
      const key = uniqueKey('shared');
      const hourly: LimitPolicy = { name: 'conformance-hourly', points: 2, windowSeconds: 3600 };
      expect((await first.consume(hourly, key)).remaining).toBe(1);
      expect((await second.consume(hourly, key)).remaining).toBe(0);
      expect((await first.consume(hourly, key)).allowed).toBe(false);
      expect((await second.consume({ ...hourly, points: 5 }, key)).remaining).toBe(2);
    });
  },
);
