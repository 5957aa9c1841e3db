import type { ErasureScope } from '../../platform/storage/data-lifecycle.ts';
import type { Database } from '../../platform/storage/database.ts';
import { isUuid } from '../../platform/storage/dialect.ts';

const chunkRows = 500;

/**
 * Blanks the prompts and answers of stored requests in a scope, keeping each row's counters (tokens,
 * cost, latency, status) and the usage rollups: what billing needs, with nothing of the content.
 */
export class ErasureRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Erases in chunks; hands every chunk's cache keys to `onCacheKeys`. Returns the rows erased. */
  async erase(scope: ErasureScope, onCacheKeys: (keys: string[]) => Promise<void>): Promise<number> {
    if (scope.apiKeyId !== undefined && !isUuid(scope.apiKeyId)) return 0;
    let erased = 0;
    for (;;) {
      const rows = await this.#scoped(scope).select(['id', 'cache_key']).limit(chunkRows).execute();
      if (rows.length === 0) return erased;
      const result = await this.#database.db
        .updateTable('request_logs')
        .set({ prompt_text: null, response_data: null, attempts: null, erased_at: new Date() })
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .executeTakeFirst();
      erased += Number(result.numUpdatedRows);
      await onCacheKeys(rows.flatMap((row) => (row.cache_key ? [row.cache_key] : [])));
      if (rows.length < chunkRows) return erased;
    }
  }

  #scoped(scope: ErasureScope) {
    let query = this.#database.db.selectFrom('request_logs').where('erased_at', 'is', null);
    if (scope.requestIds !== undefined) query = query.where('request_id', 'in', [...scope.requestIds, '']);
    if (scope.apiKeyId !== undefined) query = query.where('api_key_id', '=', scope.apiKeyId);
    if (scope.from) query = query.where('created_at', '>=', scope.from);
    if (scope.to) query = query.where('created_at', '<', scope.to);
    return query;
  }
}
