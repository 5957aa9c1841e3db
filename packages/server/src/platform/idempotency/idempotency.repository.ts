import type { Database } from '../storage/database.ts';
import { fromJsonText, toDate, toDateOrNull, toJsonText, toNumber } from '../storage/dialect.ts';

/** The answer stored for a key, replayed to a repeated request. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a request carrying an Idempotency-Key may do. */
export type BeginResult =
  /** First use (or a stale in-progress record taken over): run the request. */
  | { kind: 'started' }
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used with another request body or route. */
  | { kind: 'mismatch' }
  /** The first request with this key has not answered yet. */
  | { kind: 'in_progress' };

export interface BeginInput {
  apiKeyId: string;
  key: string;
  /** Hash of what makes two requests "the same" (method, route, body). */
  fingerprint: string;
  /** How long an unanswered request holds the key before another may take it over. */
  lockMs: number;
  /** How long an answer is replayed. */
  ttlMs: number;
}

/** Idempotency keys per API key in the database, so every replica sees the same records. */
export class IdempotencyRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async begin(input: BeginInput, now: Date = new Date()): Promise<BeginResult> {
    for (let round = 0; round < 3; round++) {
      if (await this.#insert(input, now)) return { kind: 'started' };
      const row = await this.#database.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('api_key_id', '=', input.apiKeyId)
        .where('idempotency_key', '=', input.key)
        .executeTakeFirst();
      if (!row) continue;
      if (toDate(row.expires_at) <= now) {
        await this.#delete(input.apiKeyId, input.key, (q) => q.where('expires_at', '<=', now));
        continue;
      }
      if (row.fingerprint !== input.fingerprint) return { kind: 'mismatch' };
      if (row.status === 'completed') {
        return {
          kind: 'replay',
          response: {
            status: toNumber(row.response_status),
            headers: fromJsonText<Record<string, string>>(row.response_headers) ?? {},
            body: row.response_body ?? '',
          },
        };
      }
      const lockedUntil = toDateOrNull(row.locked_until);
      if (lockedUntil && lockedUntil > now) return { kind: 'in_progress' };
      if (await this.#takeOver(input, lockedUntil, now)) return { kind: 'started' };
    }
    return { kind: 'in_progress' };
  }

  async complete(apiKeyId: string, key: string, response: StoredResponse): Promise<void> {
    await this.#database.db
      .updateTable('idempotency_keys')
      .set({
        status: 'completed',
        response_status: response.status,
        response_headers: toJsonText(response.headers),
        response_body: response.body,
        locked_until: null,
      })
      .where('api_key_id', '=', apiKeyId)
      .where('idempotency_key', '=', key)
      .where('status', '=', 'in_progress')
      .execute();
  }

  /** The request failed in a way worth retrying (5xx): the key is free again. */
  async abandon(apiKeyId: string, key: string): Promise<void> {
    await this.#delete(apiKeyId, key, (q) => q.where('status', '=', 'in_progress'));
  }

  /** Deletes records past their replay window; returns how many. */
  async purgeExpired(now: Date = new Date()): Promise<number> {
    const result = await this.#database.db
      .deleteFrom('idempotency_keys')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async #insert(input: BeginInput, now: Date): Promise<boolean> {
    const result = await this.#database.db
      .insertInto('idempotency_keys')
      .values({
        api_key_id: input.apiKeyId,
        idempotency_key: input.key,
        fingerprint: input.fingerprint,
        status: 'in_progress',
        locked_until: new Date(now.getTime() + input.lockMs),
        created_at: now,
        expires_at: new Date(now.getTime() + input.ttlMs),
      })
      .onConflict((conflict) => conflict.columns(['api_key_id', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async #takeOver(input: BeginInput, lockedUntil: Date | null, now: Date): Promise<boolean> {
    let query = this.#database.db
      .updateTable('idempotency_keys')
      .set({ locked_until: new Date(now.getTime() + input.lockMs) })
      .where('api_key_id', '=', input.apiKeyId)
      .where('idempotency_key', '=', input.key)
      .where('status', '=', 'in_progress');
    query = lockedUntil
      ? query.where('locked_until', '=', lockedUntil)
      : query.where('locked_until', 'is', null);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #delete(
    apiKeyId: string,
    key: string,
    // biome-ignore lint/suspicious/noExplicitAny: a condition on the delete query of this table.
    condition: (query: any) => any,
  ): Promise<void> {
    const query = this.#database.db
      .deleteFrom('idempotency_keys')
      .where('api_key_id', '=', apiKeyId)
      .where('idempotency_key', '=', key);
    await condition(query).execute();
  }
}
