import type { CacheLogger } from '../../platform/cache-store/redis-cache-store.ts';
import type { LevelStats, TieredCache, TieredHit } from '../../platform/cache-store/tiered-cache.ts';
import type { CacheKey } from './cache-key.ts';
import { namespacePatternToKeyPattern } from './cache-key.ts';
import type {
  CacheOutcome,
  ComputedResponse,
  GetOrComputeOptions,
  InvalidationResult,
  StoredEntry,
} from './cache-outcome.ts';
import type { CacheStats, CounterSet } from './cache-stats.ts';
import { emptyCounters, summarize } from './cache-stats.ts';
import type { WarmHandle, WarmOptions, WarmRun, WarmRunner } from './cache-warmer.ts';
import { CacheWarmer } from './cache-warmer.ts';
import { RequestCoalescer } from './request-coalescer.ts';

export type { CacheOutcome, ComputedResponse, GetOrComputeOptions, InvalidationResult };

export interface ResponseCacheServiceOptions {
  cache: TieredCache;
  enabled: boolean;
  defaultTtlSeconds: number;
  /** Cap on per-request TTLs. */
  maxTtlSeconds?: number;
  /** How long level sizes are reused by `stats()`: counting L2 takes a SCAN. */
  levelStatsCacheMs?: number;
  /** Shared counters are sent to Redis in batches at this interval, not once per request. */
  sharedFlushIntervalMs?: number;
  logger?: CacheLogger;
}

/**
 * The response cache as the analyze pipeline sees it: look up, coalesce identical work in flight,
 * store only what the caller says is cacheable, and count what was saved.
 */
export class ResponseCacheService {
  readonly #cache: TieredCache;
  readonly #enabled: boolean;
  readonly #defaultTtlSeconds: number;
  readonly #maxTtlSeconds: number;
  readonly #levelStatsCacheMs: number;
  readonly #logger: CacheLogger | undefined;
  readonly #coalescer = new RequestCoalescer();
  readonly #warmer = new CacheWarmer();
  readonly #pendingWrites = new Set<Promise<void>>();
  readonly #since = new Date().toISOString();
  readonly #local = emptyCounters();
  #unsent = emptyCounters();
  #levelStats: { at: number; value: LevelStats } | undefined;
  readonly #flushTimer: NodeJS.Timeout | undefined;

  constructor(options: ResponseCacheServiceOptions) {
    this.#cache = options.cache;
    this.#enabled = options.enabled;
    this.#defaultTtlSeconds = options.defaultTtlSeconds;
    this.#maxTtlSeconds = options.maxTtlSeconds ?? 30 * 24 * 3600;
    this.#levelStatsCacheMs = options.levelStatsCacheMs ?? 5000;
    this.#logger = options.logger;
    if (this.#cache.hasL2) {
      this.#flushTimer = setInterval(() => void this.#flushShared(), options.sharedFlushIntervalMs ?? 1000);
      this.#flushTimer.unref();
    }
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  async getOrCompute<T>(
    key: CacheKey,
    compute: () => Promise<ComputedResponse<T>>,
    options: GetOrComputeOptions<T> = {},
  ): Promise<CacheOutcome<T>> {
    if (this.#enabled && !options.bypass) {
      const hit = this.#hit<T>(key.text, await this.#cache.get(key.text));
      if (hit) return hit;
    }
    return this.compute(key, compute, options);
  }

  /**
   * Looks several keys up at once (L1, then one L2 round trip for the rest): the hits by key text.
   * Each distinct key counts as one hit or one miss.
   */
  async getMany<T>(keys: readonly CacheKey[]): Promise<Map<string, CacheOutcome<T>>> {
    const hits = new Map<string, CacheOutcome<T>>();
    const texts = this.#enabled ? [...new Set(keys.map((key) => key.text))] : [];
    const stored = texts.length > 0 ? await this.#cache.getMany(texts) : [];
    for (const [index, text] of texts.entries()) {
      const hit = this.#hit<T>(text, stored[index]);
      if (hit) hits.set(text, hit);
    }
    return hits;
  }

  /**
   * A miss (or a bypass) after the caller's own lookup: computes, joining identical work in flight,
   * and stores the result when it is cacheable.
   */
  async compute<T>(
    key: CacheKey,
    compute: () => Promise<ComputedResponse<T>>,
    options: GetOrComputeOptions<T> = {},
  ): Promise<CacheOutcome<T>> {
    if (!this.#enabled) {
      return { ...(await compute()), cached: false, level: null, coalesced: false, storedAt: null };
    }
    if (options.bypass) this.#count({ bypassed: 1 });
    const ttlMs = this.#ttlMs(options.ttlSeconds);
    const task = async () => {
      const result = await compute();
      if (ttlMs > 0 && (options.cacheable?.(result) ?? true)) this.#write(key.text, result, ttlMs);
      return result;
    };
    const run = options.exclusive ? { promise: task(), shared: false } : this.#coalescer.run(key.text, task);
    if (run.shared) this.#count({ coalesced: 1 });
    const result = await run.promise;
    return {
      value: result.value,
      usage: result.usage,
      cached: false,
      level: null,
      coalesced: run.shared,
      storedAt: null,
    };
  }

  /** Removes the entries of every namespace matching `pattern` (`invoice_*`, `*`). */
  async invalidate(pattern: string): Promise<InvalidationResult> {
    const result = await this.#cache.deletePattern(namespacePatternToKeyPattern(pattern));
    this.#levelStats = undefined;
    return result;
  }

  /** Removes these entries from both levels (and, through Redis, from other replicas' L1). */
  async deleteKeys(keys: readonly string[]): Promise<number> {
    let removed = 0;
    for (const key of new Set(keys)) if (await this.#cache.delete(key)) removed += 1;
    this.#levelStats = undefined;
    return removed;
  }

  /** Runs `items` through `runner` in the background; the handle reports progress. */
  warm<I>(items: readonly I[], runner: WarmRunner<I>, options: WarmOptions): WarmHandle {
    return this.#warmer.start(items, runner, options);
  }

  /** A run's progress and the key that started it (the caller decides who may read it). */
  warmStatus(id: string): WarmRun | undefined {
    return this.#warmer.status(id);
  }

  async stats(): Promise<CacheStats> {
    await this.#flushShared();
    const levels = await this.#currentLevelStats();
    const shared = await this.#cache.sharedCounters();
    return {
      enabled: this.#enabled,
      degraded: this.#cache.degraded,
      ...summarize(this.#local, this.#since),
      levels: {
        l1: levels.l1,
        l2: { status: levels.l2Status, entries: levels.l2?.entries ?? null, bytes: levels.l2?.bytes ?? null },
      },
      cluster: shared ? summarize({ ...emptyCounters(), ...shared.values }, shared.since) : null,
    };
  }

  /** Resolves when entries being written have reached every level (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.#pendingWrites.size > 0) await Promise.allSettled([...this.#pendingWrites]);
  }

  /** Stops warming, finishes writes and sends the last counters. Does not close the stores. */
  async close(): Promise<void> {
    this.#warmer.close();
    if (this.#flushTimer) clearInterval(this.#flushTimer);
    await this.drain();
    await this.#flushShared();
  }

  /** A read's outcome, counted as a hit or a miss; an unreadable entry is a miss and is dropped. */
  #hit<T>(key: string, stored: TieredHit | undefined): CacheOutcome<T> | undefined {
    const entry = stored && this.#decode<T>(key, stored.value);
    if (!stored || !entry) return void this.#count({ misses: 1 });
    const { value, usage, storedAt } = entry;
    this.#count({
      hits: 1,
      tokens_saved: usage.totalTokens,
      usd_saved_nano: Math.round(usage.costUsd * 1e9),
    });
    return { value, usage, cached: true, level: stored.level, coalesced: false, storedAt };
  }

  #decode<T>(key: string, text: string): StoredEntry<T> | undefined {
    try {
      const entry = JSON.parse(text) as StoredEntry<T>;
      if (entry.v === 1 && entry.usage && typeof entry.storedAt === 'string') return entry;
    } catch {
      // Unreadable entry (another version, corruption): treated as a miss and replaced when recomputed.
    }
    this.#logger?.warn({ key }, 'cache: unreadable entry dropped');
    this.#track(this.#cache.delete(key).then(() => undefined));
    return undefined;
  }

  /**
   * L1 is written synchronously inside `set` (so the very next identical request hits); the L2 write
   * is not awaited by the request, only tracked for `drain()`.
   */
  #write<T>(key: string, result: ComputedResponse<T>, ttlMs: number): void {
    const entry: StoredEntry<T> = {
      v: 1,
      value: result.value,
      usage: { totalTokens: result.usage.totalTokens, costUsd: result.usage.costUsd },
      storedAt: new Date().toISOString(),
    };
    const text = JSON.stringify(entry);
    this.#track(this.#cache.set(key, text, ttlMs));
  }

  /** A write or delete the request does not wait for, awaited by `drain()`. */
  #track(operation: Promise<void>): void {
    const write = operation.catch((error: unknown) => {
      this.#logger?.warn({ err: String(error) }, 'cache: write failed');
    });
    this.#pendingWrites.add(write);
    void write.finally(() => this.#pendingWrites.delete(write));
  }

  /** 0 when the caller asked not to store the answer. */
  #ttlMs(ttlSeconds: number | undefined): number {
    const seconds = Math.min(Math.max(ttlSeconds ?? this.#defaultTtlSeconds, 0), this.#maxTtlSeconds);
    return seconds * 1000;
  }

  /** Counts on this replica, and in the batch that goes to the cluster-wide counters next. */
  #count(deltas: Partial<CounterSet>): void {
    for (const [name, delta] of Object.entries(deltas) as Array<[keyof CounterSet, number]>) {
      this.#local[name] += delta;
      this.#unsent[name] += delta;
    }
  }

  async #flushShared(): Promise<void> {
    if (!this.#cache.hasL2) return;
    const batch = this.#unsent;
    if (Object.values(batch).every((value) => value === 0)) return;
    this.#unsent = emptyCounters();
    // Kept for the next flush when Redis is down, so an outage does not lose cluster counts.
    if (!(await this.#cache.incrementSharedCounters({ ...batch }))) this.#requeue(batch);
  }

  #requeue(batch: CounterSet): void {
    for (const name of Object.keys(batch) as Array<keyof CounterSet>) this.#unsent[name] += batch[name];
  }

  async #currentLevelStats(): Promise<LevelStats> {
    const now = Date.now();
    if (this.#levelStats && now - this.#levelStats.at < this.#levelStatsCacheMs)
      return this.#levelStats.value;
    const value = await this.#cache.levelStats();
    this.#levelStats = { at: now, value };
    return value;
  }
}
