import type { Selectable } from 'kysely';
import type { Database } from '../../platform/storage/database.ts';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import { fromJsonText, isUuid, toDate, toDateOrNull, toNumber } from '../../platform/storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';
import type { DeadLetterRecord, ItemError } from './job-types.ts';

type DeadLetterRow = Selectable<DatabaseSchema['job_dead_letters']>;

/** Items that failed every retry, for an admin to read and drive again. */
export class DeadLettersRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Newest first; only records not driven again yet unless `includeRetried`. */
  async list(page: PageRequest = {}, includeRetried = false): Promise<Page<DeadLetterRecord>> {
    let query = this.#database.db.selectFrom('job_dead_letters').selectAll();
    if (!includeRetried) query = query.where('retried_at', 'is', null);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toDeadLetter);
  }

  async get(id: string): Promise<DeadLetterRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.#database.db
      .selectFrom('job_dead_letters')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDeadLetter(row) : undefined;
  }

  /**
   * Drives the item again: the record is marked retried and the item is `pending` with fresh attempts,
   * in one transaction and only once (a second call finds the record retried and returns false).
   */
  async redrive(id: string, now: Date = new Date()): Promise<boolean> {
    return this.#database.db.transaction().execute(async (trx) => {
      const record = await trx
        .updateTable('job_dead_letters')
        .set({ retried_at: now })
        .where('id', '=', id)
        .where('retried_at', 'is', null)
        .returning(['job_id', 'item_index'])
        .executeTakeFirst();
      if (!record) return false;
      const item = await trx
        .updateTable('job_items')
        .set({
          status: 'pending',
          attempts: 0,
          run_after: now,
          error: null,
          result: null,
          completed_at: null,
          updated_at: now,
        })
        .where('job_id', '=', record.job_id)
        .where('item_index', '=', record.item_index)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      if (item.numUpdatedRows === 0n) return false;
      await trx
        .updateTable('jobs')
        .set({ status: 'processing', completed_at: null, updated_at: now })
        .where('id', '=', record.job_id)
        .where('status', 'in', ['completed', 'failed'])
        .execute();
      return true;
    });
  }
}

function toDeadLetter(row: DeadLetterRow): DeadLetterRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    index: toNumber(row.item_index),
    apiKeyId: row.api_key_id,
    attempts: toNumber(row.attempts),
    error: fromJsonText<ItemError>(row.error),
    createdAt: toDate(row.created_at),
    retriedAt: toDateOrNull(row.retried_at),
  };
}
