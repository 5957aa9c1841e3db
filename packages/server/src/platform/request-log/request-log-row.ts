import type { Insertable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { RequestLogsTable } from '../storage/database-schema.ts';
import { encodeSqliteParameter, toJsonTextOrNull } from '../storage/dialect.ts';
import type { NewRequestLog } from './request-logs.repository.ts';

/**
 * One log entry as a `request_logs` row: shared by the Kysely repository and the SQLite log thread,
 * which writes the same rows with its own prepared statement, so both paths store identical rows.
 */
export function toRow(entry: NewRequestLog): Insertable<RequestLogsTable> {
  const createdAt = entry.createdAt ?? new Date();
  return {
    id: entry.id ?? uuidv7({ msecs: createdAt.getTime() }),
    request_id: entry.requestId,
    api_key_id: entry.apiKeyId ?? null,
    prompt_text: entry.promptText ?? null,
    prompt_length: entry.promptLength ?? entry.promptText?.length ?? 0,
    request_params: toJsonTextOrNull(entry.requestParams),
    response_data: toJsonTextOrNull(entry.responseData),
    validation_status: entry.validationStatus,
    provider_used: entry.providerUsed ?? null,
    model: entry.model ?? null,
    processing_time_ms: Math.round(entry.processingTimeMs ?? 0),
    tokens_used: entry.tokensUsed ?? (entry.promptTokens ?? 0) + (entry.completionTokens ?? 0),
    prompt_tokens: entry.promptTokens ?? 0,
    completion_tokens: entry.completionTokens ?? 0,
    cost_usd: entry.costUsd ?? 0,
    confidence: entry.confidence ?? null,
    cached: entry.cached ?? false,
    error_message: entry.errorMessage ?? null,
    created_at: createdAt,
    request_options: toJsonTextOrNull(entry.requestOptions),
    schema_hash: entry.schemaHash ?? null,
    schema_ref: entry.schemaRef ?? null,
    template_ref: entry.templateRef ?? null,
    attempts: toJsonTextOrNull(entry.attempts),
    attempt_count: entry.attemptCount ?? 0,
    cache_key: entry.cacheKey ?? null,
    saved_tokens: entry.savedTokens ?? 0,
    saved_cost_usd: entry.savedCostUsd ?? 0,
  };
}

/** Every column of `toRow`'s result, in the order of the log thread's prepared statement. */
export const requestLogColumns = [
  'id',
  'request_id',
  'api_key_id',
  'prompt_text',
  'prompt_length',
  'request_params',
  'response_data',
  'validation_status',
  'provider_used',
  'model',
  'processing_time_ms',
  'tokens_used',
  'prompt_tokens',
  'completion_tokens',
  'cost_usd',
  'confidence',
  'cached',
  'error_message',
  'created_at',
  'request_options',
  'schema_hash',
  'schema_ref',
  'template_ref',
  'attempts',
  'attempt_count',
  'cache_key',
  'saved_tokens',
  'saved_cost_usd',
] as const satisfies readonly (keyof RequestLogsTable)[];

export type SqliteValue = null | number | bigint | string;

/** A row's values in `requestLogColumns` order, encoded for node:sqlite. */
export function sqliteRowValues(row: Insertable<RequestLogsTable>): SqliteValue[] {
  return requestLogColumns.map((column) => encodeSqliteParameter(row[column]) as SqliteValue);
}
