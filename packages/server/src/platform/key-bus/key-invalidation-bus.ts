import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { HealthCheck } from '../health-check.ts';
import { type CircuitLogger, RedisCircuit, SKIPPED } from '../redis/redis-circuit.ts';

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
  /** Whether hashes published by other replicas reach this bus now (false while Redis is away). */
  readonly listening: boolean;
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
    listening: true,
    async close() {
      emitter.removeAllListeners();
    },
  };
}

export interface RedisBusOptions {
  channel?: string;
  /** Bounds the publish (a revocation must not hang on a frozen Redis). */
  circuit?: RedisCircuit;
  logger?: CircuitLogger;
}

/**
 * Redis pub/sub across replicas, on a connection of its own (a subscribed connection cannot run other
 * commands). It subscribes each time that connection becomes ready — at start and after every
 * reconnect — and says whether it is subscribed (`listening`, reported by `/v1/health`). While it is
 * not, a revoked key keeps working on other replicas until their key cache expires (at most 5 s).
 */
export function createRedisInvalidationBus(client: Redis, options: RedisBusOptions = {}): KeyInvalidationBus {
  const channel = options.channel ?? defaultChannel;
  const { logger } = options;
  const circuit = options.circuit ?? new RedisCircuit({ timeoutMs: 500, label: 'key revocation' });
  const subscriber = client.duplicate({ connectionName: 'sps-key-bus', autoResubscribe: false });
  const listeners: Array<(keyHash: string) => void> = [];
  const deliver = (keyHash: string) => {
    for (const listener of listeners) listener(keyHash);
  };
  const state = { listening: false, closed: false };
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  subscriber.on('message', (_channel: string, message: string) => deliver(message));
  subscriber.on('error', () => {
    // Reconnection is automatic; the lost subscription is logged on 'close' and shown in health.
  });
  subscriber.on('close', () => {
    if (state.listening && !state.closed) {
      logger?.warn({ channel }, 'key revocation: subscription lost, reconnecting');
    }
    state.listening = false;
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        state.listening = true;
        logger?.info({ channel }, 'key revocation: subscribed');
        markReady();
      },
      (error: unknown) => logger?.warn({ err: error, channel }, 'key revocation: subscribe failed'),
    );
  });
  return {
    async publish(keyHash) {
      // This replica's cache at once; its own copy of the message comes back later and is harmless.
      deliver(keyHash);
      const sent = await circuit.run(() => client.publish(channel, keyHash));
      if (sent === SKIPPED) {
        logger?.warn(
          { channel },
          'key revocation: not published; other replicas drop the key on cache expiry',
        );
      }
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    get listening() {
      return state.listening;
    },
    ready: () => ready,
    async close() {
      state.closed = true;
      listeners.length = 0;
      markReady();
      subscriber.disconnect();
    },
  };
}

/** The bus's entry in `/v1/health`: optional, so a lost subscription reads `degraded`. */
export function createKeyBusHealthCheck(bus: KeyInvalidationBus): HealthCheck {
  return {
    name: 'key_revocation',
    required: false,
    async check() {
      if (!bus.listening) throw new Error('not subscribed to key revocations');
    },
  };
}
