import { LRUCache } from 'lru-cache';
import type {
  CacheStore,
  CounterDeltas,
  StoredCounters,
  StoredValue,
  StoreLevelStats,
} from './cache-store.ts';
import { globMatcher } from './cache-store.ts';

export interface MemoryCacheStoreOptions {
  maxEntries: number;
  /** Upper bound of the bytes of keys + values held; least recently used entries go first. */
  maxBytes: number;
}

/** Approximate heap bytes of a JS string: V8 stores one- or two-byte strings, UTF-8 is a fair proxy. */
function sizeOf(key: string, value: string): number {
  return Buffer.byteLength(value) + Buffer.byteLength(key);
}

/** The in-process level: an LRU bounded by entry count and bytes, with per-entry TTL. */
export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory';
  readonly #lru: LRUCache<string, string>;
  readonly #counters = new Map<string, number>();
  readonly #since = new Date().toISOString();

  constructor(options: MemoryCacheStoreOptions) {
    this.#lru = new LRUCache<string, string>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (value, key) => Math.max(1, sizeOf(key, value)),
      // Expired entries are dropped when read or when stats purge them; no timer per entry.
      ttlAutopurge: false,
    });
  }

  async get(key: string): Promise<StoredValue | undefined> {
    const value = this.#lru.get(key);
    if (value === undefined) return undefined;
    const remaining = this.#lru.getRemainingTTL(key);
    return { value, ttlMs: Number.isFinite(remaining) && remaining > 0 ? remaining : undefined };
  }

  async getMany(keys: readonly string[]): Promise<Array<StoredValue | undefined>> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    // An entry larger than the whole budget is silently refused by lru-cache: that is the intent.
    this.#lru.set(key, value, { ttl: Math.max(1, Math.round(ttlMs)) });
  }

  async delete(key: string): Promise<boolean> {
    return this.#lru.delete(key);
  }

  async deletePattern(pattern: string): Promise<number> {
    const matches = globMatcher(pattern);
    // Collect first: deleting while iterating an LRU reorders it.
    const matching = [...this.#lru.keys()].filter((key) => matches(key));
    let removed = 0;
    for (const key of matching) if (this.#lru.delete(key)) removed += 1;
    return removed;
  }

  async incrementCounters(deltas: CounterDeltas): Promise<void> {
    for (const [name, delta] of Object.entries(deltas)) {
      if (delta !== 0) this.#counters.set(name, (this.#counters.get(name) ?? 0) + delta);
    }
  }

  async counters(): Promise<StoredCounters> {
    return { values: Object.fromEntries(this.#counters), since: this.#since };
  }

  async stats(): Promise<StoreLevelStats> {
    this.#lru.purgeStale();
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.#lru.clear();
  }
}
