import { LRUCache } from 'lru-cache';
import type { KeyInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { extractKey, hashApiKey, isWellFormedKey, sameKeyText } from './api-key-secret.ts';
import type { ApiKeyRecord, ApiKeysRepository } from './api-keys.repository.ts';

export type AuthFailureReason = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired';

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
  /**
   * The last well-formed key presented on each connection, with its hash. Clients send the same key
   * on every request of a keep-alive connection, and hashing it again each time was a measurable part
   * of a cache hit. Only the hash is reused: the record is still looked up (and judged) per request.
   */
  readonly #lastOnConnection = new WeakMap<object, { raw: string; hash: string }>();

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

  /** `connection` (the request's socket) lets a key presented again on it skip its hashing. */
  async verify(
    headers: Record<string, string | string[] | undefined>,
    connection?: object,
  ): Promise<Verification> {
    const presented = this.#presented(headers, connection);
    if ('ok' in presented) return presented;
    let key = this.#cache?.get(presented.hash);
    if (!key) {
      key = (await this.#repository.findByHash(presented.hash)) ?? undefined;
      if (!key) return { ok: false, reason: 'unknown' };
      this.#cache?.set(presented.hash, key);
    }
    return this.#judge(key, presented.hash);
  }

  /**
   * `verify` without waiting: the answer when no database lookup is needed (no key, a malformed one,
   * or one in the cache), undefined when `verify` must look it up.
   */
  verifyNow(
    headers: Record<string, string | string[] | undefined>,
    connection?: object,
  ): Verification | undefined {
    const presented = this.#presented(headers, connection);
    if ('ok' in presented) return presented;
    const key = this.#cache?.get(presented.hash);
    return key ? this.#judge(key, presented.hash) : undefined;
  }

  #presented(
    headers: Record<string, string | string[] | undefined>,
    connection: object | undefined,
  ): Verification | { hash: string } {
    const raw = extractKey(headers);
    if (raw === undefined) return { ok: false, reason: 'missing' };
    const last = connection && this.#lastOnConnection.get(connection);
    // Compared in constant time: behind a proxy, one connection carries many clients' requests.
    if (last && sameKeyText(last.raw, raw)) return { hash: last.hash };
    if (!isWellFormedKey(raw)) return { ok: false, reason: 'malformed' };
    const hash = hashApiKey(raw);
    if (connection) this.#lastOnConnection.set(connection, { raw, hash });
    return { hash };
  }

  #judge(key: ApiKeyRecord, hash: string): Verification {
    if (!key.isActive || key.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (key.expiresAt !== null && key.expiresAt.getTime() <= this.#now().getTime())
      return { ok: false, reason: 'expired' };
    return { ok: true, key, hash };
  }

  /** Drops a hash locally (the bus does it for the other replicas). */
  forget(keyHash: string): void {
    this.#cache?.delete(keyHash);
  }
}
