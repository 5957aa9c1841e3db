import { Redis } from 'ioredis';

/**
 * Where the integration tests find PostgreSQL and Redis. Locally an unreachable service skips the
 * tests that need it, saying why; in CI (CI=true) it fails them instead, so a broken setup can
 * never pass silently.
 */
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const inCi = process.env.CI === 'true';

export async function redisAvailable(): Promise<boolean> {
  const client = new Redis(testRedisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (inCi)
      throw new Error(
        `Redis is required in CI but ${testRedisUrl} is unreachable: ${(error as Error).message}`,
      );
    console.warn(`Skipping Redis tests: ${testRedisUrl} is unreachable (${(error as Error).message})`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A client for one test file; keys it writes should carry `uniquePrefix()` so runs never collide. */
export function testRedisClient(): Redis {
  return new Redis(testRedisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
}

export function uniquePrefix(label: string): string {
  return `test:${label}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
}
