import { RE2JS } from 're2js';
/**
 * One level of the response cache. Values are opaque strings (serialized cache entries); the store
 * only knows keys, values and expiry. Two implementations: the in-process LRU (`memory-cache-store.ts`)
 * and Redis (`redis-cache-store.ts`), both checked by one conformance suite.
 */

/** A value read back together with how long it has left, so an upper level can back-fill a lower one. */
export interface StoredValue {
  value: string;
  /** Milliseconds until expiry; undefined when the entry never expires. */
  ttlMs: number | undefined;
}

export interface StoreLevelStats {
  entries: number;
  /** Bytes held for the values (compressed size for Redis). */
  bytes: number;
}

/** Integer counters kept by the store; Redis keeps them in one hash so every replica sees the sums. */
export type CounterDeltas = Record<string, number>;

export interface StoredCounters {
  values: Record<string, number>;
  /** ISO time the counters started (first increment ever for Redis, construction for memory). */
  since: string;
}

export interface CacheStore {
  /** `memory` or `redis`: for stats and logs. */
  readonly kind: string;
  get(key: string): Promise<StoredValue | undefined>;
  /**
   * Several keys at once, in one round trip where the store has round trips (Redis: one pipeline);
   * the answer has one slot per key, in order, undefined for a miss.
   */
  getMany(keys: readonly string[]): Promise<Array<StoredValue | undefined>>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /**
   * Deletes every key matching a glob where only `*` and `?` are wildcards; returns how many were
   * removed. Never blocks the store (Redis: SCAN + UNLINK in batches, never KEYS).
   */
  deletePattern(pattern: string): Promise<number>;
  incrementCounters(deltas: CounterDeltas): Promise<void>;
  counters(): Promise<StoredCounters>;
  stats(): Promise<StoreLevelStats>;
  /** Resolves when the store answers (health probe); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A glob matcher with the same meaning Redis MATCH gives `*` and `?`; every other character is
 * literal, so both stores agree on what a pattern removes. It runs on RE2: `a*a*a*a*b` against a
 * long key costs linear time, where a backtracking RegExp would not.
 */
export function globMatcher(pattern: string): (text: string) => boolean {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  const program = RE2JS.compile(`^${source}$`);
  return (text) => program.test(text);
}

/** Escapes the characters Redis MATCH treats specially other than `*` and `?` (`[`, `]`, `\`). */
export function escapeRedisGlob(pattern: string): string {
  return pattern.replace(/[[\]\\]/g, '\\$&');
}
