import { afterAll, describe, expect, it } from 'vitest';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import { RedisCircuit } from '../redis/redis-circuit.ts';
import { type BudgetLedger, createMemoryBudgetLedger } from './budget-ledger.ts';
import { createRedisBudgetLedger } from './redis-budget-ledger.ts';

// Redis is healthy in these tests: a generous timeout keeps a loaded machine from opening the circuit.
const healthyCircuit = () => new RedisCircuit({ timeoutMs: 10_000, label: 'budgets' });

const prefix = uniquePrefix('budget-ledger');
const redis = (await redisAvailable()) ? testRedisClient() : undefined;
afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const implementations: Array<{ name: string; create?: () => BudgetLedger }> = [
  { name: 'memory', create: () => createMemoryBudgetLedger() },
  { name: 'redis', create: redis && (() => createRedisBudgetLedger(redis, prefix, healthyCircuit())) },
];

const uniqueKey = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

/** Behaviour every BudgetLedger has: the same cases against each implementation. */
for (const { name, create } of implementations) {
  const title = create ? `BudgetLedger [${name}]` : `BudgetLedger [${name}] (skipped: no Redis reachable)`;
  describe.skipIf(!create)(title, () => {
    const makeLedger = () => create!();

    it('seeds once: a second seed does not overwrite the first', async () => {
      const ledger = makeLedger();
      const key = uniqueKey('seed');
      expect(await ledger.isSeeded(key)).toBe(false);
      await ledger.seed(key, 500, 60);
      await ledger.seed(key, 9_999, 60);
      expect(await ledger.isSeeded(key)).toBe(true);
      expect(await ledger.spent(key)).toBe(500);
    });

    it('clears a counter, so the next period start seeds it again', async () => {
      const ledger = makeLedger();
      const key = uniqueKey('clear');
      await ledger.seed(key, 700, 60);
      await ledger.clear(key);
      expect(await ledger.isSeeded(key)).toBe(false);
      expect(await ledger.spent(key)).toBe(0);
      await ledger.seed(key, 5, 60);
      expect(await ledger.spent(key)).toBe(5);
    });

    it('reserves while under the limit and refuses what would pass it', async () => {
      const ledger = makeLedger();
      const key = uniqueKey('reserve');
      await ledger.seed(key, 0, 60);
      expect(await ledger.reserve(key, 600, 1000, 60)).toEqual({ allowed: true, spentMicros: 600 });
      expect(await ledger.reserve(key, 500, 1000, 60)).toEqual({ allowed: false, spentMicros: 600 });
      expect(await ledger.reserve(key, 400, 1000, 60)).toEqual({ allowed: true, spentMicros: 1000 });
    });

    it('reserves nothing on a counter that was never seeded, and says so', async () => {
      const ledger = makeLedger();
      const key = uniqueKey('unseeded');
      expect(await ledger.reserve(key, 100, 1000, 60)).toBeUndefined();
      expect(await ledger.isSeeded(key)).toBe(false);
      await ledger.seed(key, 950, 60);
      expect(await ledger.reserve(key, 100, 1000, 60)).toEqual({ allowed: false, spentMicros: 950 });
    });

    it('never lets concurrent reservations pass the limit', async () => {
      const ledger = makeLedger();
      const key = uniqueKey('concurrent');
      await ledger.seed(key, 0, 60);
      const results = await Promise.all(Array.from({ length: 50 }, () => ledger.reserve(key, 30, 1000, 60)));
      expect(results.filter((entry) => entry?.allowed)).toHaveLength(33);
      expect(await ledger.spent(key)).toBe(990);
    });

    it('adjusts an existing counter both ways and ignores a missing one', async () => {
      const ledger = makeLedger();
      const key = uniqueKey('adjust');
      await ledger.seed(key, 100, 60);
      await ledger.adjust(key, 50);
      await ledger.adjust(key, -30);
      expect(await ledger.spent(key)).toBe(120);
      const missing = uniqueKey('missing');
      await ledger.adjust(missing, 40);
      expect(await ledger.isSeeded(missing)).toBe(false);
    });

    it('forgets a period once its time to live has passed', async () => {
      const ledger = makeLedger();
      const key = uniqueKey('ttl');
      await ledger.seed(key, 100, 1);
      expect(await ledger.isSeeded(key)).toBe(true);
      await expect.poll(() => ledger.isSeeded(key), { timeout: 5000, interval: 100 }).toBe(false);
      expect(await ledger.spent(key)).toBe(0);
    });
  });
}
