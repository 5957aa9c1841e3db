import { Redis } from 'ioredis';
import { redisAvailable as probeRedis, testRedisUrl } from './redis.ts';

/**
 * Shared Redis for the limit and replica tests. Reachability (skip locally with a reason, fail when
 * CI=true) is decided by the cache's test support, so every suite follows one rule.
 */
export const redisAvailable = (): Promise<boolean> => probeRedis(testRedisUrl());

/** A client for one test file; keys it writes should carry `uniquePrefix()` so runs never collide. */
export function testRedisClient(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: 1, enableOfflineQueue: true });
}

export function uniquePrefix(label: string): string {
  return `test:${label}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
}
