import { onTestFinished } from 'vitest';
import type { ResponseCache } from '../../src/features/cache/create-response-cache.ts';
import { ResponseCacheService } from '../../src/features/cache/response-cache.service.ts';
import { MemoryCacheStore } from '../../src/platform/cache-store/memory-cache-store.ts';
import { RedisCacheStore } from '../../src/platform/cache-store/redis-cache-store.ts';
import { TieredCache } from '../../src/platform/cache-store/tiered-cache.ts';
import type { DialectName } from '../../src/platform/storage/dialect.ts';
import { buildTestApp, type TestApp, type TestAppOptions } from './build-app.ts';
import { uniqueKeyPrefix } from './redis.ts';
import { createTestDatabase } from './test-databases.ts';

/** What the tests read of an injected answer. */
interface InjectedResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers field by field.
  json(): any;
}

export interface HistoryTestApp extends TestApp {
  /** Sends an analyze request with `key` and returns its request id. */
  analyze(key: string, body: Record<string, unknown>): Promise<{ status: number; requestId: string }>;
  /** Writes every buffered request log (and its rollups) now. */
  flush(): Promise<void>;
  get(url: string, key: string): Promise<InjectedResponse>;
}

/** The app on a fresh database of `dialect` (a SQLite file, or a PostgreSQL schema of its own). */
export async function buildHistoryApp(
  dialect: DialectName,
  options: TestAppOptions = {},
): Promise<HistoryTestApp> {
  let infra = options.infra;
  if (dialect === 'postgres') {
    const fixture = await createTestDatabase('postgres');
    onTestFinished(() => fixture.destroy());
    infra = { ...infra, database: fixture.database };
  }
  const testApp = await buildTestApp({ ...options, infra });
  return {
    ...testApp,
    async analyze(key, body) {
      const response = await testApp.app.inject({
        method: 'POST',
        url: '/v1/analyze',
        headers: { 'x-api-key': key },
        payload: body,
      });
      return { status: response.statusCode, requestId: String(response.headers['x-request-id']) };
    },
    async flush() {
      await testApp.deps.services.logWriter.flush();
    },
    async get(url, key) {
      return testApp.app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });
    },
  };
}

/**
 * The response cache with both levels held apart, so a test can look into L1 (memory) and L2 (a real
 * Redis, under a key prefix of its own) separately. Closed when the current test finishes.
 */
export async function twoLevelCache(redisUrl: string) {
  const l1 = new MemoryCacheStore({ maxEntries: 1000, maxBytes: 16 * 1024 * 1024 });
  const l2 = new RedisCacheStore({
    url: redisUrl,
    commandTimeoutMs: 1000,
    compressThresholdBytes: 1024,
    keyPrefix: uniqueKeyPrefix(),
  });
  const tiered = new TieredCache({ l1, l2, l2TimeoutMs: 1000 });
  const service = new ResponseCacheService({ cache: tiered, enabled: true, defaultTtlSeconds: 600 });
  await l2.waitUntilReady(5000);
  const responseCache: ResponseCache = {
    service,
    tiered,
    healthCheck: undefined,
    ready: async () => true,
    close: async () => {
      await service.close();
      await tiered.close();
    },
  };
  onTestFinished(() => responseCache.close());
  return { l1, l2, responseCache };
}
