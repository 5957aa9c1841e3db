import type { RequestStatus } from '@structured-prompt/contracts';
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import type { DialectName } from '../../platform/storage/dialect.ts';

/** What the history can be narrowed by; `apiKeyId` is forced to the caller's own key for user keys. */
export interface HistoryFilter {
  apiKeyId?: string;
  from?: Date;
  to?: Date;
  provider?: string;
  model?: string;
  status?: RequestStatus;
  cached?: boolean;
  /** `id@version` of a registered schema, or a schema hash. */
  schema?: string;
  template?: string;
  minLatencyMs?: number;
  minCostUsd?: number;
  /** Words the prompt contains (ADR 0059). */
  q?: string;
}

type LogQuery = SelectQueryBuilder<DatabaseSchema, 'request_logs', object>;
type LogExpressions = ExpressionBuilder<DatabaseSchema, 'request_logs'>;

const maxSearchWords = 8;

/** Letters and digits only, lower-cased: nothing of either dialect's query syntax gets through. */
function searchWords(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, maxSearchWords);
}

/** Every word as a prefix, all required: FTS5 on SQLite, `tsquery` on PostgreSQL. */
function fullTextMatch(dialect: DialectName, words: string[]) {
  if (dialect === 'sqlite') {
    const match = words.map((word) => `"${word}"*`).join(' ');
    return sql<boolean>`request_logs.rowid in (select rowid from request_logs_fts where request_logs_fts match ${match})`;
  }
  const query = words.map((word) => `${word}:*`).join(' & ');
  return sql<boolean>`to_tsvector('simple', coalesce(request_logs.prompt_text, '')) @@ to_tsquery('simple', ${query})`;
}

function statusCondition(eb: LogExpressions, status: RequestStatus) {
  if (status === 'validation_failed') return eb('validation_status', '=', 'failed');
  if (status === 'error') return eb('validation_status', '=', 'error');
  return eb('validation_status', 'not in', ['failed', 'error']);
}

/** Narrows a request_logs query; answers null when the filter cannot match anything. */
export function applyHistoryFilter<Q extends LogQuery>(
  query: Q,
  filter: HistoryFilter,
  dialect: DialectName,
): Q | null {
  let q = query as LogQuery;
  if (filter.apiKeyId !== undefined) q = q.where('api_key_id', '=', filter.apiKeyId);
  if (filter.from) q = q.where('created_at', '>=', filter.from);
  if (filter.to) q = q.where('created_at', '<', filter.to);
  if (filter.provider !== undefined) q = q.where('provider_used', '=', filter.provider);
  if (filter.model !== undefined) q = q.where('model', '=', filter.model);
  const { status, schema } = filter;
  if (status !== undefined) q = q.where((eb) => statusCondition(eb, status));
  if (filter.cached !== undefined) q = q.where('cached', '=', filter.cached);
  if (schema !== undefined) {
    q = q.where((eb) => eb.or([eb('schema_ref', '=', schema), eb('schema_hash', '=', schema)]));
  }
  if (filter.template !== undefined) q = q.where('template_ref', '=', filter.template);
  if (filter.minLatencyMs !== undefined) q = q.where('processing_time_ms', '>=', filter.minLatencyMs);
  if (filter.minCostUsd !== undefined) q = q.where('cost_usd', '>=', filter.minCostUsd);
  if (filter.q !== undefined) {
    const words = searchWords(filter.q);
    if (words.length === 0) return null;
    q = q.where(fullTextMatch(dialect, words));
  }
  return q as Q;
}
