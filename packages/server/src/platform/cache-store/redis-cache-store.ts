import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ioredis } from '../redis/redis-client.ts';
import type {
  CacheStore,
  CounterDeltas,
  StoredCounters,
  StoredValue,
  StoreLevelStats,
} from './cache-store.ts';
import { escapeRedisGlob } from './cache-store.ts';
import { decodeValue, encodeValue } from './value-codec.ts';

/** The few logger methods the cache uses; pino's logger fits. */
export interface CacheLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface RedisCacheStoreOptions {
  url: string;
  /** A command without a reply after this long fails, so a slow Redis degrades to L1 instead of stalling. */
  commandTimeoutMs: number;
  compressThresholdBytes: number;
  /** Prepended to every key and channel: several deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
  /** Glob (after the prefix) of the keys counted as entries in stats; defaults to every response key. */
  entryPattern?: string;
  logger?: CacheLogger;
}

/** Another replica removed keys: drop them from this process's L1 too. */
export type InvalidationListener = (pattern: string) => void;

const SCAN_BATCH = 1000;

/** Redis level: compressed values, SCAN-based pattern delete, shared counters, invalidation fan-out. */
export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #entryPattern: string;
  readonly #compressThreshold: number;
  readonly #statsKey: string;
  readonly #channel: string;
  readonly #origin = randomUUID();
  readonly #logger: CacheLogger | undefined;
  #subscriber: Redis | undefined;
  #reportedDown = false;

  constructor(options: RedisCacheStoreOptions) {
    this.#prefix = options.keyPrefix ?? '';
    this.#entryPattern = options.entryPattern ?? 'sps:resp:*';
    this.#compressThreshold = options.compressThresholdBytes;
    this.#statsKey = `${this.#prefix}sps:cache:stats`;
    this.#channel = `${this.#prefix}sps:cache:invalidate`;
    this.#logger = options.logger;
    this.#client = new (ioredis().Redis)(options.url, {
      connectionName: 'sps-cache',
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: Math.max(1000, options.commandTimeoutMs * 4),
      // Fail fast while disconnected: queued commands would hold requests until Redis comes back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Reconnect forever with capped backoff: the cache must heal by itself after an outage.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    });
    this.#client.on('error', (error: Error) => {
      if (this.#reportedDown) return;
      this.#reportedDown = true;
      this.#logger?.warn({ err: error.message }, 'cache: Redis unavailable, serving from L1 only');
    });
    this.#client.on('ready', () => {
      if (!this.#reportedDown) return;
      this.#reportedDown = false;
      this.#logger?.info({}, 'cache: Redis reconnected');
    });
  }

  /** Resolves once connected (boot and tests); rejects after `timeoutMs`. Commands never wait for this. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    if (this.#client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#client.off('ready', onReady);
        reject(new Error(`Redis not ready after ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#client.once('ready', onReady);
    });
  }

  async get(key: string): Promise<StoredValue | undefined> {
    const fullKey = this.#prefix + key;
    const [stored, pttl] = await Promise.all([this.#client.getBuffer(fullKey), this.#client.pttl(fullKey)]);
    return storedValue(stored, pttl);
  }

  /** One pipeline (GET and PTTL per key): one round trip whatever the number of keys. */
  async getMany(keys: readonly string[]): Promise<Array<StoredValue | undefined>> {
    if (keys.length === 0) return [];
    const pipeline = this.#client.pipeline();
    for (const key of keys) pipeline.getBuffer(this.#prefix + key).pttl(this.#prefix + key);
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((_, index) => {
      const [getError, stored] = replies[index * 2] ?? [];
      const [pttlError, pttl] = replies[index * 2 + 1] ?? [];
      if (getError || pttlError) throw getError ?? pttlError;
      return storedValue(stored as Buffer | null, pttl as number);
    });
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const encoded = encodeValue(value, this.#compressThreshold);
    await this.#client.set(this.#prefix + key, encoded, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(key: string): Promise<boolean> {
    const removed = await this.#client.unlink(this.#prefix + key);
    // Keys never contain `*` or `?` (see cache-key.ts), so the key is its own pattern.
    await this.#publish(key);
    return removed > 0;
  }

  async deletePattern(pattern: string): Promise<number> {
    let removed = 0;
    await this.#scan(pattern, async (keys) => {
      removed += await this.#client.unlink(...keys);
    });
    // Published even when nothing was in Redis: other replicas may hold L1 copies written while down.
    await this.#publish(pattern);
    return removed;
  }

  async incrementCounters(deltas: CounterDeltas): Promise<void> {
    const entries = Object.entries(deltas).filter(([, delta]) => delta !== 0);
    if (entries.length === 0) return;
    const transaction = this.#client.multi().hsetnx(this.#statsKey, 'since', new Date().toISOString());
    for (const [name, delta] of entries) transaction.hincrby(this.#statsKey, name, Math.round(delta));
    const results = await transaction.exec();
    const failure = results?.find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
  }

  async counters(): Promise<StoredCounters> {
    const hash = await this.#client.hgetall(this.#statsKey);
    const values: Record<string, number> = {};
    for (const [name, raw] of Object.entries(hash)) {
      if (name !== 'since') values[name] = Number(raw);
    }
    return { values, since: hash.since ?? new Date().toISOString() };
  }

  async stats(): Promise<StoreLevelStats> {
    let entries = 0;
    let bytes = 0;
    await this.#scan(this.#entryPattern, async (keys) => {
      const pipeline = this.#client.pipeline();
      for (const key of keys) pipeline.strlen(key);
      for (const [error, length] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        // A key that expired between SCAN and STRLEN reports 0 and is not counted.
        if (typeof length === 'number' && length > 0) {
          entries += 1;
          bytes += length;
        }
      }
    });
    return { entries, bytes };
  }

  async ping(): Promise<void> {
    await this.#client.ping();
  }

  /** Listens for pattern deletes done by other processes (Redis pub/sub; resubscribes after reconnects). */
  onRemoteInvalidate(listener: InvalidationListener): void {
    if (!this.#subscriber) {
      // A subscribed connection cannot run other commands, hence the second connection; it keeps the
      // offline queue so the SUBSCRIBE is sent as soon as Redis is reachable.
      this.#subscriber = this.#client.duplicate({
        enableOfflineQueue: true,
        connectionName: 'sps-cache-sub',
      });
      this.#subscriber.on('error', () => {});
      void this.#subscriber.subscribe(this.#channel).catch(() => {});
    }
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      const separator = message.indexOf('\n');
      if (separator < 0 || message.slice(0, separator) === this.#origin) return;
      listener(message.slice(separator + 1));
    });
  }

  async close(): Promise<void> {
    for (const client of [this.#subscriber, this.#client]) {
      if (!client) continue;
      // QUIT needs a live connection; otherwise just stop the reconnect loop.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    }
  }

  async #publish(pattern: string): Promise<void> {
    await this.#client.publish(this.#channel, `${this.#origin}\n${pattern}`);
  }

  /** SCAN (never KEYS, which blocks Redis) over `prefix + pattern`, handing back full keys in batches. */
  async #scan(pattern: string, onBatch: (keys: string[]) => Promise<void>): Promise<void> {
    const match = escapeRedisGlob(this.#prefix + pattern);
    let cursor = '0';
    do {
      const [next, keys] = await this.#client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_BATCH);
      cursor = next;
      if (keys.length > 0) await onBatch(keys);
    } while (cursor !== '0');
  }
}

/** A GET and PTTL reply pair as a stored value; undefined for a miss or an unreadable value. */
function storedValue(stored: Buffer | null | undefined, pttl: number): StoredValue | undefined {
  if (stored === null || stored === undefined) return undefined;
  const value = decodeValue(stored);
  if (value === undefined) return undefined;
  // -1: no expiry; -2: expired between the two commands (still a valid read, but do not back-fill).
  return { value, ttlMs: pttl === -1 ? undefined : Math.max(0, pttl) };
}
