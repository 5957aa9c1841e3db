import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

const channel = 'sps:api-keys:invalidate';

/**
 * Tells every replica to drop a key hash from its verification cache (after a revocation or
 * rotation), so the change takes effect at once instead of when the cache entry expires.
 */
export interface KeyInvalidationBus {
  publish(keyHash: string): Promise<void>;
  subscribe(listener: (keyHash: string) => void): void;
  close(): Promise<void>;
}

/** One process: invalidations reach only this process's cache, which is all there is. */
export function createLocalInvalidationBus(): KeyInvalidationBus {
  const emitter = new EventEmitter();
  return {
    async publish(keyHash) {
      emitter.emit('invalidate', keyHash);
    },
    subscribe(listener) {
      emitter.on('invalidate', listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Redis pub/sub across replicas. A subscriber connection cannot run other commands, so this takes
 * its own duplicate of the shared client. If Redis is briefly down a message can be missed; the
 * short cache TTL (at most 5 s) bounds how long a revoked key can still work.
 */
export function createRedisInvalidationBus(client: Redis): KeyInvalidationBus {
  const subscriber = client.duplicate();
  const listeners: Array<(keyHash: string) => void> = [];
  subscriber.on('message', (_channel: string, message: string) => {
    for (const listener of listeners) listener(message);
  });
  subscriber.on('error', () => {
    // Reconnection is automatic; errors are reported by the health check, not thrown here.
  });
  const ready = subscriber.subscribe(channel).catch(() => undefined);
  return {
    async publish(keyHash) {
      for (const listener of listeners) listener(keyHash);
      await client.publish(channel, keyHash).catch(() => undefined);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    async close() {
      await ready;
      subscriber.disconnect();
    },
  };
}
