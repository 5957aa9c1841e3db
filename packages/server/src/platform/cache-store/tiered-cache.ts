import { RedisCircuit, SKIPPED } from '../redis/redis-circuit.ts';
import type { CacheStore, CounterDeltas, StoredCounters, StoreLevelStats } from './cache-store.ts';
import type { CacheLogger, InvalidationListener } from './redis-cache-store.ts';

export type CacheLevel = 'l1' | 'l2';
export type L2Status = 'up' | 'down' | 'not_configured';

export interface TieredCacheOptions {
  l1: CacheStore;
  /** Shared level (Redis); absent in the embedded, single-process setup. */
  l2?: CacheStore;
  /** Upper bound of one L2 read or write, on top of the store's own command timeout. */
  l2TimeoutMs: number;
  /** After an L2 failure, requests skip L2 this long, so a dead or slow Redis costs nothing per request. */
  l2RetryAfterMs?: number;
  /** Upper bound of L2 scans (pattern delete, entry stats), which take several round trips. */
  l2ScanTimeoutMs?: number;
  logger?: CacheLogger;
}

export interface TieredHit {
  value: string;
  level: CacheLevel;
  /** Milliseconds the entry has left at the level that answered; undefined when it never expires. */
  ttlMs: number | undefined;
}

export interface TieredDeleteResult {
  removed: number;
  /** False when L2 could not be reached: entries there survive until their TTL. */
  complete: boolean;
}

export interface LevelStats {
  l1: StoreLevelStats;
  /** Null when there is no L2 or it did not answer. */
  l2: StoreLevelStats | null;
  l2Status: L2Status;
}

/** L1 lifetime of a back-filled L2 entry that has no expiry (only written by other tools). */
const BACKFILL_TTL_WITHOUT_EXPIRY_MS = 60_000;

/**
 * L1 memory in front of an optional L2 (Redis). Reads L1, then L2, back-filling L1 with the entry's
 * remaining TTL. L2 is strictly best effort: an error or a slow answer marks it down, requests carry on
 * with L1 alone (`degraded`), and after a short pause L2 is tried again, so recovery needs no restart.
 */
export class TieredCache {
  readonly #l1: CacheStore;
  readonly #l2: CacheStore | undefined;
  readonly #timeoutMs: number;
  readonly #scanTimeoutMs: number;
  readonly #circuit: RedisCircuit;

  constructor(options: TieredCacheOptions) {
    this.#l1 = options.l1;
    this.#l2 = options.l2;
    this.#timeoutMs = options.l2TimeoutMs;
    this.#scanTimeoutMs = options.l2ScanTimeoutMs ?? 30_000;
    this.#circuit = new RedisCircuit({
      timeoutMs: options.l2TimeoutMs,
      retryAfterMs: options.l2RetryAfterMs ?? 1000,
      label: 'cache L2',
      logger: options.logger,
    });
    // Invalidations done by other replicas must reach this process's L1, or it would keep serving them.
    const subscribable = this.#l2 as
      | { onRemoteInvalidate?(listener: InvalidationListener): void }
      | undefined;
    subscribable?.onRemoteInvalidate?.((pattern) => {
      void this.#l1.deletePattern(pattern);
    });
  }

  get hasL2(): boolean {
    return this.#l2 !== undefined;
  }

  /** True while L2 is configured but failing: answers come from L1 only. */
  get degraded(): boolean {
    return this.#l2 !== undefined && !this.#circuit.healthy;
  }

  get l2Status(): L2Status {
    if (!this.#l2) return 'not_configured';
    return this.#circuit.healthy ? 'up' : 'down';
  }

  async get(key: string): Promise<TieredHit | undefined> {
    const local = await this.#l1.get(key);
    if (local) return { value: local.value, level: 'l1', ttlMs: local.ttlMs };
    // Without L2 a miss ends here: no closure and no call into the L2 wrapper per miss.
    if (!this.#l2) return undefined;
    const remote = await this.#onL2((store) => store.get(key), this.#timeoutMs);
    if (remote === SKIPPED || remote === undefined) return undefined;
    // No back-fill without a positive TTL: an entry about to expire in L2 must not outlive it in L1.
    if (remote.ttlMs === undefined || remote.ttlMs > 0) {
      await this.#l1.set(key, remote.value, remote.ttlMs ?? BACKFILL_TTL_WITHOUT_EXPIRY_MS);
    }
    return { value: remote.value, level: 'l2', ttlMs: remote.ttlMs };
  }

  /** Writes both levels; an L2 failure is absorbed (the entry lives in L1 only). */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#l1.set(key, value, ttlMs);
    if (this.#l2) await this.#onL2((store) => store.set(key, value, ttlMs), this.#timeoutMs);
  }

  async delete(key: string): Promise<boolean> {
    const local = await this.#l1.delete(key);
    const remote = await this.#onL2((store) => store.delete(key), this.#timeoutMs);
    return local || remote === true;
  }

  /**
   * Removes matching keys from both levels. L1 normally holds a subset of L2, so the larger of the two
   * counts is reported rather than the sum, which would count most entries twice.
   */
  async deletePattern(pattern: string): Promise<TieredDeleteResult> {
    const local = await this.#l1.deletePattern(pattern);
    if (!this.#l2) return { removed: local, complete: true };
    const remote = await this.#onL2((store) => store.deletePattern(pattern), this.#scanTimeoutMs, true);
    if (remote === SKIPPED) return { removed: local, complete: false };
    return { removed: Math.max(local, remote), complete: true };
  }

  async levelStats(): Promise<LevelStats> {
    const l1 = await this.#l1.stats();
    const l2 = await this.#onL2((store) => store.stats(), this.#scanTimeoutMs);
    return { l1, l2: l2 === SKIPPED ? null : l2, l2Status: this.l2Status };
  }

  /** Adds to the counters shared by every replica (L2); false when there is no L2 or it failed. */
  async incrementSharedCounters(deltas: CounterDeltas): Promise<boolean> {
    const result = await this.#onL2((store) => store.incrementCounters(deltas), this.#timeoutMs);
    return result !== SKIPPED;
  }

  /** Cluster-wide counters, or null without L2 or while it is down. */
  async sharedCounters(): Promise<StoredCounters | null> {
    const counters = await this.#onL2((store) => store.counters(), this.#timeoutMs);
    return counters === SKIPPED ? null : counters;
  }

  /**
   * Health probe: always asks L2 (ignoring the pause after a failure) and updates the state, so a
   * recovered Redis is noticed by the probe even with no traffic. Rejects when L2 is down.
   */
  async pingL2(signal?: AbortSignal): Promise<void> {
    if (!this.#l2) return;
    const result = await this.#onL2((store) => store.ping(), this.#timeoutMs, true, signal);
    if (result === SKIPPED) throw new Error('Redis cache level is unavailable');
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#l1.close(), this.#l2?.close()]);
  }

  /** Runs one L2 operation under the circuit; any failure marks L2 down and yields SKIPPED. */
  #onL2<T>(
    operation: (store: CacheStore) => Promise<T>,
    timeoutMs: number,
    ignorePause = false,
    signal?: AbortSignal,
  ): Promise<T | typeof SKIPPED> {
    const store = this.#l2;
    if (!store) return Promise.resolve(SKIPPED);
    return this.#circuit.run(() => operation(store), { timeoutMs, ignorePause, signal });
  }
}
