import type { Redis } from 'ioredis';

/** Money is counted in micro-dollars: integers, so concurrent increments never round. */
const microsPerUsd = 1_000_000;
export const toMicros = (usd: number): number => Math.ceil(usd * microsPerUsd);
export const toUsd = (micros: number): number => micros / microsPerUsd;

interface Reservation {
  allowed: boolean;
  /** Spend in the period after this reservation (or as it stands, when refused). */
  spentMicros: number;
  /** Made on this replica's own counter because Redis was skipped: settle it there too. */
  local?: boolean;
}

/**
 * Spend per key and period, shared by every replica when backed by Redis. A reservation checks and
 * adds in one atomic step, so concurrent requests cannot together pass the limit by more than one
 * request's estimate (the estimate is reconciled with the real cost afterwards).
 */
export interface BudgetLedger {
  readonly kind: 'memory' | 'redis';
  /** Whether the period's counter exists (it is seeded from the request logs when it does not). */
  isSeeded(key: string): Promise<boolean>;
  /** Starts the counter at `micros` unless another replica already did. */
  seed(key: string, micros: number, ttlSeconds: number): Promise<void>;
  /**
   * Reserves against an existing counter; undefined when the period's counter does not exist (seed
   * it, then reserve again), so a reservation never counts from zero by mistake.
   */
  reserve(
    key: string,
    micros: number,
    limitMicros: number,
    ttlSeconds: number,
  ): Promise<Reservation | undefined>;
  /** Adds (or with a negative delta, returns) micros without any limit check; `local` as reserved. */
  adjust(key: string, deltaMicros: number, local?: boolean): Promise<void>;
  /** Spend so far; `local` reads this replica's own counter (where a local reservation went). */
  spent(key: string, local?: boolean): Promise<number>;
  /** Forgets the period's counter; the next reservation seeds it again (a usage reset). */
  clear(key: string): Promise<void>;
}

export function createMemoryBudgetLedger(now: () => number = Date.now): BudgetLedger {
  const entries = new Map<string, { micros: number; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    kind: 'memory',
    async isSeeded(key) {
      return live(key) !== undefined;
    },
    async clear(key) {
      entries.delete(key);
    },
    async seed(key, micros, ttlSeconds) {
      if (!live(key)) entries.set(key, { micros, expiresAt: now() + ttlSeconds * 1000 });
    },
    async reserve(key, micros, limitMicros) {
      const entry = live(key);
      if (!entry) return undefined;
      if (entry.micros + micros > limitMicros) return { allowed: false, spentMicros: entry.micros };
      entry.micros += micros;
      return { allowed: true, spentMicros: entry.micros };
    },
    async adjust(key, deltaMicros) {
      const entry = live(key);
      if (entry) entry.micros = Math.max(0, entry.micros + deltaMicros);
    },
    async spent(key) {
      return live(key)?.micros ?? 0;
    },
  };
}

// Check-and-add in one step inside Redis: nothing can interleave between the read and the write.
// A missing counter answers -1: it must be seeded from the recorded spend first.
const reserveScript = `
local current = redis.call('GET', KEYS[1])
if not current then return {-1, 0} end
local spent = tonumber(current)
local amount = tonumber(ARGV[1])
if spent + amount > tonumber(ARGV[2]) then return {0, spent} end
local after = redis.call('INCRBY', KEYS[1], amount)
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return {1, after}`;

// Only an existing (seeded, unexpired) counter is adjusted; a bare INCRBY would create one without a TTL.
const adjustScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return 0`;

/** The ledger in Redis alone; `createRedisBudgetLedger` puts the circuit and the local fallback around it. */
export function redisOnlyBudgetLedger(client: Redis, prefix: string): BudgetLedger {
  const full = (key: string) => `${prefix}:${key}`;
  return {
    kind: 'redis',
    async isSeeded(key) {
      return (await client.exists(full(key))) === 1;
    },
    async clear(key) {
      await client.del(full(key));
    },
    async seed(key, micros, ttlSeconds) {
      await client.set(full(key), String(micros), 'EX', ttlSeconds, 'NX');
    },
    async reserve(key, micros, limitMicros, ttlSeconds) {
      const [allowed, spent] = (await client.eval(
        reserveScript,
        1,
        full(key),
        micros,
        limitMicros,
        ttlSeconds,
      )) as [number, number];
      if (allowed === -1) return undefined;
      return { allowed: allowed === 1, spentMicros: Number(spent) };
    },
    async adjust(key, deltaMicros) {
      if (deltaMicros !== 0) await client.eval(adjustScript, 1, full(key), deltaMicros);
    },
    async spent(key) {
      return Number((await client.get(full(key))) ?? 0);
    },
  };
}
