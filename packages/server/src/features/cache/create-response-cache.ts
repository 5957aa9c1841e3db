import type { Config } from '../../config/config-schema.ts';
import { createCacheHealthCheck } from '../../platform/cache-store/cache-health-check.ts';
import { MemoryCacheStore } from '../../platform/cache-store/memory-cache-store.ts';
import type { CacheLogger } from '../../platform/cache-store/redis-cache-store.ts';
import { RedisCacheStore } from '../../platform/cache-store/redis-cache-store.ts';
import { TieredCache } from '../../platform/cache-store/tiered-cache.ts';
import type { HealthCheck } from '../../platform/health-check.ts';
import { ResponseCacheService } from './response-cache.service.ts';

export interface ResponseCache {
  service: ResponseCacheService;
  tiered: TieredCache;
  /** Undefined without Redis. */
  healthCheck: HealthCheck | undefined;
  /**
   * Waits (at boot) for Redis to connect so the first requests do not find L2 "down"; true when ready
   * or when there is no Redis. Never required: without it L2 joins in as soon as it connects.
   */
  ready(timeoutMs: number): Promise<boolean>;
  /** Stops warming, flushes writes and counters, closes Redis connections. */
  close(): Promise<void>;
}

export interface CreateResponseCacheOptions {
  logger?: CacheLogger;
  /** Prepended to every Redis key (tests; several deployments on one Redis). */
  redisKeyPrefix?: string;
}

/** Builds the cache from config at boot: L1 always, L2 when `redis.url` is set. */
export function createResponseCache(
  config: Pick<Config, 'cache' | 'redis'>,
  options: CreateResponseCacheOptions = {},
): ResponseCache {
  const l1 = new MemoryCacheStore({
    maxEntries: config.cache.l1MaxEntries,
    maxBytes: config.cache.l1MaxBytes,
  });
  const l2 =
    config.redis.url && config.cache.enabled
      ? new RedisCacheStore({
          url: config.redis.url,
          commandTimeoutMs: config.redis.commandTimeoutMs,
          compressThresholdBytes: config.cache.compressThresholdBytes,
          keyPrefix: options.redisKeyPrefix,
          logger: options.logger,
        })
      : undefined;
  const tiered = new TieredCache({
    l1,
    l2,
    l2TimeoutMs: config.redis.commandTimeoutMs,
    logger: options.logger,
  });
  const service = new ResponseCacheService({
    cache: tiered,
    enabled: config.cache.enabled,
    defaultTtlSeconds: config.cache.ttlSeconds,
    logger: options.logger,
  });
  return {
    service,
    tiered,
    healthCheck: createCacheHealthCheck(tiered),
    async ready(timeoutMs) {
      if (!l2) return true;
      return l2.waitUntilReady(timeoutMs).then(
        () => true,
        () => false,
      );
    },
    async close() {
      await service.close();
      await tiered.close();
    },
  };
}
