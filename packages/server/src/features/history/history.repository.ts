import {
  type RequestLogRecord,
  toRequestLogRecord,
} from '../../platform/request-log/request-logs.repository.ts';
import type { Database } from '../../platform/storage/database.ts';
import { isUuid } from '../../platform/storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';
import { applyHistoryFilter, type HistoryFilter } from './history-filter.ts';

/** Reads the request history: filtered, keyset-paginated, newest first. */
export class HistoryRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async list(filter: HistoryFilter, page: PageRequest = {}): Promise<Page<RequestLogRecord>> {
    if (filter.apiKeyId !== undefined && !isUuid(filter.apiKeyId)) return { items: [], nextCursor: null };
    const base = this.#database.db.selectFrom('request_logs').selectAll('request_logs');
    const query = applyHistoryFilter(base, filter, this.#database.dialect);
    if (!query) return { items: [], nextCursor: null };
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toRequestLogRecord);
  }

  /** Every matching row, page by page, for exports. */
  async *each(filter: HistoryFilter, pageSize = 200): AsyncGenerator<RequestLogRecord> {
    let cursor: string | null = null;
    do {
      const page: Page<RequestLogRecord> = await this.list(filter, { limit: pageSize, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  async getByRequestId(requestId: string): Promise<RequestLogRecord | null> {
    const row = await this.#database.db
      .selectFrom('request_logs')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    return row ? toRequestLogRecord(row) : null;
  }
}
