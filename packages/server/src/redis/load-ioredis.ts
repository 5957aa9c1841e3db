import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

let redisClass: typeof Redis | undefined;

/** ioredis, loaded on first use: a server in embedded mode (no `REDIS_URL`) never needs it in memory. */
export function redisConstructor(): typeof Redis {
  redisClass ??= (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;
  return redisClass;
}
