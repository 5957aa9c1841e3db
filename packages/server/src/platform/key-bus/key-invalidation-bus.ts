import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

const defaultChannel = 'sps:api-keys:invalidate';

/**
 * Tells every replica to drop a key hash from its verification cache (after a revocation or
 * rotation), so the change takes effect at once instead of when the cache entry expires. Delivery is
 * at least once: dropping a hash twice is harmless.
 */
export interface KeyInvalidationBus {
  /** Delivers to this bus's own subscribers before it resolves, and to the other replicas' soon after. */
  publish(keyHash: string): Promise<void>;
  subscribe(listener: (keyHash: string) => void): void;
  /** Resolves once hashes published by other replicas reach this bus's subscribers. */
  ready(): Promise<void>;
  /** Stops delivery to this bus's subscribers. */
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
    async ready() {},
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
export function createRedisInvalidationBus(client: Redis, channel = defaultChannel): KeyInvalidationBus {
  const subscriber = client.duplicate();
  const listeners: Array<(keyHash: string) => void> = [];
  const deliver = (keyHash: string) => {
    for (const listener of listeners) listener(keyHash);
  };
  subscriber.on('message', (_channel: string, message: string) => deliver(message));
  subscriber.on('error', () => {
    // Reconnection is automatic; errors are reported by the health check, not thrown here.
  });
  const subscribed = subscriber.subscribe(channel).then(
    () => undefined,
    () => undefined,
  );
  return {
    async publish(keyHash) {
      // This replica's cache at once; its own copy of the message comes back later and is harmless.
      deliver(keyHash);
      await client.publish(channel, keyHash).catch(() => undefined);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    ready: () => subscribed,
    async close() {
      listeners.length = 0;
      await subscribed;
      subscriber.disconnect();
    },
  };
}
