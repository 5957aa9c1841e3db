import { loadOnFirstUse } from '@structured-prompt/gateway';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** ioredis is loaded only when `REDIS_URL` is set: embedded mode never needs it in memory. */
export const ioredis = loadOnFirstUse<typeof import('ioredis')>('ioredis', import.meta.url);

/**
 * The Redis connection shared by limits and key invalidation. Commands fail fast instead of queueing
 * while Redis is unreachable (no offline queue, short command timeout), so a Redis outage degrades
 * limits to per-replica counting rather than stalling requests; ioredis reconnects on its own.
 */
export function createRedisClient(
  url: string,
  options: { commandTimeoutMs: number; logger?: Logger; name?: string },
): Redis {
  const client = new (ioredis().Redis)(url, {
    connectionName: options.name ?? 'sps',
    commandTimeout: options.commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(2000, 50 * 2 ** Math.min(attempt, 6)),
  });
  let lastLogged = 0;
  client.on('error', (error: Error) => {
    // One line per 10 s is enough to see an outage without flooding the log while it reconnects.
    const now = Date.now();
    if (now - lastLogged > 10_000) {
      lastLogged = now;
      options.logger?.warn({ err: error }, 'redis connection error');
    }
  });
  return client;
}

/** Resolves true once connected, false after `timeoutMs` (the caller carries on degraded). */
export function waitForRedis(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}
