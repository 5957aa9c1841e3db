import type { CacheLevel } from '../../platform/cache-store/tiered-cache.ts';

/** What an answer cost; served again from cache, this is what was saved. */
interface CacheUsage {
  totalTokens: number;
  costUsd: number;
}

export interface ComputedResponse<T> {
  value: T;
  usage: CacheUsage;
}

export interface GetOrComputeOptions<T> {
  /** Lifetime of a new entry; the configured default when absent; 0 = do not store it. */
  ttlSeconds?: number;
  /** Skip the read and compute afresh; the new result replaces the entry (`bypass_cache`). */
  bypass?: boolean;
  /** Only validated results may be cached: return false for anything else. Default: cache every result. */
  cacheable?: (result: ComputedResponse<T>) => boolean;
  /**
   * Compute alone instead of joining identical work in flight: a streamed request's call can be
   * cancelled by its client, which must not fail anyone else's request.
   */
  exclusive?: boolean;
}

export interface CacheOutcome<T> extends ComputedResponse<T> {
  /** Served from a cache level without computing. */
  cached: boolean;
  level: CacheLevel | null;
  /** Joined an identical computation already in flight on this instance. */
  coalesced: boolean;
  /** When the served entry was computed (ISO), null when computed for this call. */
  storedAt: string | null;
}

export interface InvalidationResult {
  removed: number;
  /** False when L2 was unreachable: its entries expire by TTL instead. */
  complete: boolean;
}

/** An entry as stored in either level. */
export interface StoredEntry<T> {
  v: 1;
  value: T;
  usage: CacheUsage;
  storedAt: string;
}
