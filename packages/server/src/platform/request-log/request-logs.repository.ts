import type { Selectable } from 'kysely';
import type { Database } from '../storage/database.ts';
import type { RequestLogsTable } from '../storage/database-schema.ts';
import {
  fromJsonText,
  isUuid,
  toBoolean,
  toDate,
  toDateOrNull,
  toNumber,
  toNumberOrNull,
} from '../storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../storage/pagination.ts';
import { toRow } from './request-log-row.ts';
import { rollupDeltas, upsertRollups } from './usage-rollup.ts';

export interface RequestLogRecord {
  id: string;
  requestId: string;
  apiKeyId: string | null;
  promptText: string | null;
  promptLength: number;
  requestParams: unknown;
  responseData: unknown;
  /** e.g. `valid`, `repaired`, `relaxed`, `invalid`, `error`. */
  validationStatus: string;
  providerUsed: string | null;
  model: string | null;
  processingTimeMs: number;
  tokensUsed: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  confidence: number | null;
  cached: boolean;
  errorMessage: string | null;
  createdAt: Date;
  /** The request as asked, minus the prompt (options, pinned provider/model, an inline schema). */
  requestOptions: unknown;
  schemaHash: string | null;
  /** `id@version` of a registered schema or template the request named. */
  schemaRef: string | null;
  templateRef: string | null;
  /** Each model call and what it cost, failed provider calls, validation errors. */
  attempts: unknown;
  attemptCount: number;
  cacheKey: string | null;
  /** What a cache hit saved: the tokens and dollars the cached answer had cost. */
  savedTokens: number;
  savedCostUsd: number;
  erasedAt: Date | null;
}

export type NewRequestLog = Partial<Omit<RequestLogRecord, 'requestId' | 'validationStatus' | 'erasedAt'>> &
  Pick<RequestLogRecord, 'requestId' | 'validationStatus'>;

export interface RequestLogFilter {
  apiKeyId?: string;
  providerUsed?: string;
  validationStatus?: string;
  cached?: boolean;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
}

/** Rows per INSERT: far below both dialects' bound-parameter limits (~20 columns per row). */
const insertChunkRows = 500;

export class RequestLogsRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /**
   * Inserts many log lines in one transaction. A `requestId` already stored is skipped, so a writer
   * that retries a batch after an ambiguous failure (timeout after commit) never duplicates or fails.
   * Returns how many rows were new.
   */
  async insertMany(entries: readonly NewRequestLog[]): Promise<number> {
    if (entries.length === 0) return 0;
    const rows = entries.map(toRow);
    return this.#database.db.transaction().execute(async (trx) => {
      const inserted = new Set<string>();
      for (let start = 0; start < rows.length; start += insertChunkRows) {
        const result = await trx
          .insertInto('request_logs')
          .values(rows.slice(start, start + insertChunkRows))
          .onConflict((conflict) => conflict.column('request_id').doNothing())
          .returning('request_id')
          .execute();
        for (const row of result) inserted.add(row.request_id);
      }
      // Usage rollups count only the rows this batch really added (ADR 0060).
      await upsertRollups(trx, rollupDeltas(rows.filter((row) => inserted.has(row.request_id))));
      return inserted.size;
    });
  }

  async getById(id: string): Promise<RequestLogRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .selectFrom('request_logs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRequestLogRecord(row) : null;
  }

  async getByRequestId(requestId: string): Promise<RequestLogRecord | null> {
    const row = await this.#database.db
      .selectFrom('request_logs')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    return row ? toRequestLogRecord(row) : null;
  }

  async list(filter: RequestLogFilter = {}, page: PageRequest = {}): Promise<Page<RequestLogRecord>> {
    let query = this.#database.db.selectFrom('request_logs').selectAll();
    if (filter.apiKeyId !== undefined) {
      if (!isUuid(filter.apiKeyId)) return { items: [], nextCursor: null };
      query = query.where('api_key_id', '=', filter.apiKeyId);
    }
    if (filter.providerUsed !== undefined) query = query.where('provider_used', '=', filter.providerUsed);
    if (filter.validationStatus !== undefined) {
      query = query.where('validation_status', '=', filter.validationStatus);
    }
    if (filter.cached !== undefined) query = query.where('cached', '=', filter.cached);
    if (filter.from) query = query.where('created_at', '>=', filter.from);
    if (filter.to) query = query.where('created_at', '<', filter.to);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toRequestLogRecord);
  }

  async count(filter: Pick<RequestLogFilter, 'apiKeyId'> = {}): Promise<number> {
    let query = this.#database.db.selectFrom('request_logs').select((eb) => eb.fn.countAll().as('count'));
    if (filter.apiKeyId !== undefined) query = query.where('api_key_id', '=', filter.apiKeyId);
    const row = await query.executeTakeFirstOrThrow();
    return toNumber(row.count);
  }
}

export function toRequestLogRecord(row: Selectable<RequestLogsTable>): RequestLogRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    apiKeyId: row.api_key_id,
    promptText: row.prompt_text,
    promptLength: toNumber(row.prompt_length),
    requestParams: fromJsonText(row.request_params),
    responseData: fromJsonText(row.response_data),
    validationStatus: row.validation_status,
    providerUsed: row.provider_used,
    model: row.model,
    processingTimeMs: toNumber(row.processing_time_ms),
    tokensUsed: toNumber(row.tokens_used),
    promptTokens: toNumber(row.prompt_tokens),
    completionTokens: toNumber(row.completion_tokens),
    costUsd: toNumber(row.cost_usd),
    confidence: toNumberOrNull(row.confidence),
    cached: toBoolean(row.cached),
    errorMessage: row.error_message,
    createdAt: toDate(row.created_at),
    requestOptions: fromJsonText(row.request_options),
    schemaHash: row.schema_hash,
    schemaRef: row.schema_ref,
    templateRef: row.template_ref,
    attempts: fromJsonText(row.attempts),
    attemptCount: toNumber(row.attempt_count),
    cacheKey: row.cache_key,
    savedTokens: toNumber(row.saved_tokens),
    savedCostUsd: toNumber(row.saved_cost_usd),
    erasedAt: toDateOrNull(row.erased_at),
  };
}
