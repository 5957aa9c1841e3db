import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../lib/app-error.ts';
import type { Database } from '../../platform/storage/database.ts';
import type { ApiKeysTable } from '../../platform/storage/database-schema.ts';
import {
  containsText,
  fromJsonText,
  isUniqueViolation,
  isUuid,
  toBoolean,
  toDate,
  toDateOrNull,
  toJsonText,
  toNumber,
  toNumberOrNull,
} from '../../platform/storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';

export interface ApiKeyRecord {
  id: string;
  keyHash: string;
  keyPrefix: string;
  name: string;
  team: string | null;
  scopes: string[];
  rateLimitPerHour: number;
  tokensPerMinute: number | null;
  monthlyBudgetUsd: number | null;
  /** null: the service-wide default applies. */
  suspiciousInputPolicy: string | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** The secret replaced by the last rotation, accepted until `previousKeyValidUntil`. */
  previousKeyHash: string | null;
  previousKeyValidUntil: Date | null;
  /** false: this key's prompts and answers are not kept in the request log; null: the service setting. */
  storePrompts: boolean | null;
}

export interface NewApiKey {
  id?: string;
  keyHash: string;
  keyPrefix: string;
  name: string;
  team?: string | null;
  scopes?: string[];
  rateLimitPerHour?: number;
  tokensPerMinute?: number | null;
  monthlyBudgetUsd?: number | null;
  suspiciousInputPolicy?: string | null;
  storePrompts?: boolean | null;
  expiresAt?: Date | null;
  createdAt?: Date;
}

export type ApiKeyPatch = Partial<
  Pick<
    ApiKeyRecord,
    | 'name'
    | 'team'
    | 'scopes'
    | 'rateLimitPerHour'
    | 'tokensPerMinute'
    | 'monthlyBudgetUsd'
    | 'suspiciousInputPolicy'
    | 'expiresAt'
    | 'isActive'
  >
>;

export interface ApiKeyFilter {
  team?: string;
  isActive?: boolean;
  /** Case-insensitive substring of the name. */
  nameContains?: string;
}

export class ApiKeysRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Throws AppError `conflict` when the key hash already exists. */
  async create(input: NewApiKey): Promise<ApiKeyRecord> {
    const now = input.createdAt ?? new Date();
    try {
      const row = await this.#database.db
        .insertInto('api_keys')
        .values({
          id: input.id ?? uuidv7({ msecs: now.getTime() }),
          key_hash: input.keyHash,
          key_prefix: input.keyPrefix,
          name: input.name,
          team: input.team ?? null,
          scopes: toJsonText(input.scopes ?? []),
          rate_limit_per_hour: input.rateLimitPerHour ?? 1000,
          tokens_per_minute: input.tokensPerMinute ?? null,
          monthly_budget_usd: input.monthlyBudgetUsd ?? null,
          suspicious_input_policy: input.suspiciousInputPolicy ?? null,
          store_prompts: input.storePrompts ?? null,
          is_active: true,
          created_at: now,
          updated_at: now,
          expires_at: input.expiresAt ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', 'An API key with this value already exists.');
      throw error;
    }
  }

  async getById(id: string): Promise<ApiKeyRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * The authentication lookup: the current secret, or the one replaced by a rotation while its grace
   * period lasts. Returns revoked and expired keys too: the caller decides and audits.
   */
  async findByHash(keyHash: string, now: Date = new Date()): Promise<ApiKeyRecord | null> {
    const row = await this.#database.db
      .selectFrom('api_keys')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('key_hash', '=', keyHash),
          eb.and([eb('previous_key_hash', '=', keyHash), eb('previous_key_valid_until', '>', now)]),
        ]),
      )
      // The current secret wins should a hash ever appear in both columns.
      .orderBy(sql`case when key_hash = ${keyHash} then 0 else 1 end`)
      .limit(1)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Number of keys, revoked ones included (first-start bootstrap checks for zero). */
  async count(): Promise<number> {
    const row = await this.#database.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return toNumber(row.count);
  }

  /**
   * Replaces the secret of a key, keeping its id, limits and history. The old secret keeps working
   * until `previousKeyValidUntil`; null ends it at once. Throws AppError `conflict` if the new hash
   * is taken. Null when the key does not exist.
   */
  async rotate(
    id: string,
    input: { keyHash: string; keyPrefix: string; previousKeyValidUntil: Date | null },
    now: Date = new Date(),
  ): Promise<ApiKeyRecord | null> {
    if (!isUuid(id)) return null;
    try {
      const row = await this.#database.db
        .updateTable('api_keys')
        .set((eb) => ({
          previous_key_hash: input.previousKeyValidUntil ? eb.ref('key_hash') : null,
          previous_key_valid_until: input.previousKeyValidUntil,
          key_hash: input.keyHash,
          key_prefix: input.keyPrefix,
          updated_at: now,
        }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', 'An API key with this value already exists.');
      throw error;
    }
  }

  async list(filter: ApiKeyFilter = {}, page: PageRequest = {}): Promise<Page<ApiKeyRecord>> {
    let query = this.#database.db.selectFrom('api_keys').selectAll();
    if (filter.team !== undefined) query = query.where('team', '=', filter.team);
    if (filter.isActive !== undefined) query = query.where('is_active', '=', filter.isActive);
    if (filter.nameContains) {
      query = query.where(containsText(this.#database.dialect, sql.ref('name'), filter.nameContains));
    }
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toRecord);
  }

  async update(id: string, patch: ApiKeyPatch, now: Date = new Date()): Promise<ApiKeyRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .updateTable('api_keys')
      .set({
        updated_at: now,
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.team !== undefined && { team: patch.team }),
        ...(patch.scopes !== undefined && { scopes: toJsonText(patch.scopes) }),
        ...(patch.rateLimitPerHour !== undefined && { rate_limit_per_hour: patch.rateLimitPerHour }),
        ...(patch.tokensPerMinute !== undefined && { tokens_per_minute: patch.tokensPerMinute }),
        ...(patch.monthlyBudgetUsd !== undefined && { monthly_budget_usd: patch.monthlyBudgetUsd }),
        ...(patch.suspiciousInputPolicy !== undefined && {
          suspicious_input_policy: patch.suspiciousInputPolicy,
        }),
        ...(patch.expiresAt !== undefined && { expires_at: patch.expiresAt }),
        ...(patch.isActive !== undefined && { is_active: patch.isActive }),
        // Re-activating a revoked key un-revokes it; `isActive: false` alone is a pause, not a revocation.
        ...(patch.isActive === true && { revoked_at: null }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Deactivates the key and records when (`update({ isActive: true })` undoes it). Idempotent: a second call keeps the first `revokedAt`. */
  async revoke(id: string, now: Date = new Date()): Promise<ApiKeyRecord | null> {
    if (!isUuid(id)) return null;
    await this.#database.db
      .updateTable('api_keys')
      .set({ is_active: false, revoked_at: now, updated_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return this.getById(id);
  }

  /**
   * Records use of the key. Writes at most once per `minIntervalMs` per key, so a busy key does not
   * turn every request into a row update.
   */
  async touchLastUsed(id: string, at: Date = new Date(), minIntervalMs = 60_000): Promise<void> {
    if (!isUuid(id)) return;
    await this.#database.db
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<', new Date(at.getTime() - minIntervalMs)),
        ]),
      )
      .execute();
  }
}

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    keyHash: row.key_hash,
    keyPrefix: row.key_prefix,
    name: row.name,
    team: row.team,
    scopes: fromJsonText<string[]>(row.scopes) ?? [],
    rateLimitPerHour: toNumber(row.rate_limit_per_hour),
    tokensPerMinute: toNumberOrNull(row.tokens_per_minute),
    monthlyBudgetUsd: toNumberOrNull(row.monthly_budget_usd),
    suspiciousInputPolicy: row.suspicious_input_policy,
    isActive: toBoolean(row.is_active),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    expiresAt: toDateOrNull(row.expires_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
    revokedAt: toDateOrNull(row.revoked_at),
    previousKeyHash: row.previous_key_hash,
    previousKeyValidUntil: toDateOrNull(row.previous_key_valid_until),
    storePrompts: row.store_prompts === null ? null : toBoolean(row.store_prompts),
  };
}
