import type { Redis } from 'ioredis';
import { RedisCircuit, SKIPPED } from '../redis/redis-circuit.ts';
import { type BudgetLedger, createMemoryBudgetLedger, redisOnlyBudgetLedger } from './budget-ledger.ts';

/**
 * How long a replica's own counter lives while Redis is skipped. It starts from the spend the database
 * has recorded, so when it expires the next reservation reads the database again and picks up what
 * the other replicas spent meanwhile.
 */
const localSeedTtlSeconds = 60;

/**
 * The budget ledger shared by every replica through Redis, behind a circuit. When Redis fails or does
 * not answer in time, reservations go to a counter of this replica's own, seeded from the spend the
 * database has recorded: budgets keep holding per replica (each replica can reserve up to what is left
 * of the budget) instead of every request failing. See docs/operations.md.
 */
export function createRedisBudgetLedger(
  client: Redis,
  prefix = 'sps:budget',
  circuit = new RedisCircuit({ timeoutMs: 500, label: 'budgets' }),
): BudgetLedger {
  const shared = redisOnlyBudgetLedger(client, prefix);
  const local = createMemoryBudgetLedger();
  return {
    kind: 'redis',
    async isSeeded(key) {
      const answer = await circuit.run(() => shared.isSeeded(key));
      return answer === SKIPPED ? local.isSeeded(key) : answer;
    },
    async clear(key) {
      await local.clear(key);
      await circuit.run(() => shared.clear(key));
    },
    async seed(key, micros, ttlSeconds) {
      const answer = await circuit.run(() => shared.seed(key, micros, ttlSeconds));
      if (answer === SKIPPED) await local.seed(key, micros, Math.min(ttlSeconds, localSeedTtlSeconds));
    },
    async reserve(key, micros, limitMicros, ttlSeconds) {
      const answer = await circuit.run(() => shared.reserve(key, micros, limitMicros, ttlSeconds));
      if (answer !== SKIPPED) return answer;
      const reservation = await local.reserve(key, micros, limitMicros, ttlSeconds);
      return reservation && { ...reservation, local: true };
    },
    async adjust(key, deltaMicros, isLocal) {
      // A reservation stays where it was made. One made in Redis that cannot be settled there keeps
      // counting its estimate until the period ends: the budget errs on the safe side.
      if (isLocal) return local.adjust(key, deltaMicros);
      await circuit.run(() => shared.adjust(key, deltaMicros));
    },
    async spent(key, isLocal) {
      if (isLocal) return local.spent(key);
      const answer = await circuit.run(() => shared.spent(key));
      return answer === SKIPPED ? local.spent(key) : answer;
    },
  };
}
