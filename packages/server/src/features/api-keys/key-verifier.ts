import { LRUCache } from 'lru-cache';
import type { KeyInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { extractKey, hashApiKey, isWellFormedKey } from './api-key-secret.ts';
import type { ApiKeyRecord, ApiKeysRepository } from './api-keys.repository.ts';
import { keyStatus } from './key-status.ts';

type AuthFailureReason = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired';

export type Verification =
  | { ok: true; key: ApiKeyRecord; hash: string }
  | { ok: false; reason: AuthFailureReason };

/**
 * Verifies presented keys. Valid keys are cached by hash for a few seconds so a busy key costs one
 * database lookup per TTL, not one per request; revocations clear the cache entry on every replica
 * through the invalidation bus, and the TTL bounds staleness if a message is lost.
 */
export class KeyVerifier {
  readonly #repository: Pick<ApiKeysRepository, 'findByHash'>;
  readonly #cache: LRUCache<string, ApiKeyRecord> | undefined;
  readonly #now: () => Date;

  constructor(options: {
    repository: Pick<ApiKeysRepository, 'findByHash'>;
    bus: KeyInvalidationBus;
    cacheTtlMs: number;
    now?: () => Date;
  }) {
    this.#repository = options.repository;
    this.#now = options.now ?? (() => new Date());
    this.#cache = options.cacheTtlMs > 0 ? new LRUCache({ max: 10_000, ttl: options.cacheTtlMs }) : undefined;
    options.bus.subscribe((keyHash) => this.#cache?.delete(keyHash));
  }

  async verify(headers: Record<string, string | string[] | undefined>): Promise<Verification> {
    const raw = extractKey(headers);
    if (raw === undefined) return { ok: false, reason: 'missing' };
    if (!isWellFormedKey(raw)) return { ok: false, reason: 'malformed' };
    const hash = hashApiKey(raw);
    const key = await this.#lookup(hash);
    if (!key) return { ok: false, reason: 'unknown' };
    const status = keyStatus(key, this.#now());
    if (status !== 'active') return { ok: false, reason: status };
    return { ok: true, key, hash };
  }

  async #lookup(hash: string): Promise<ApiKeyRecord | undefined> {
    const cached = this.#cache?.get(hash);
    if (cached) return cached;
    const key = (await this.#repository.findByHash(hash)) ?? undefined;
    if (key) this.#cache?.set(hash, key);
    return key;
  }
}
