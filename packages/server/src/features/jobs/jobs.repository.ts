import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/storage/database.ts';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import { isUuid, toDate, toDateOrNull, toJsonText, toNumber } from '../../platform/storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';
import type { EndedJob, JobEvents } from './job-events.ts';
import type { JobPriority, JobProgress, JobRecord, JobStatus, NewJob } from './job-types.ts';

type JobRow = Selectable<DatabaseSchema['jobs']>;

/** Rows per insert statement: far below both dialects' bound-parameter limits. */
const insertChunk = 500;
const openStatuses: JobStatus[] = ['pending', 'processing'];

/** Jobs and their items as rows: creation, reading, progress and the job-level state changes. */
export class JobsRepository {
  readonly #database: Database;
  readonly #events: JobEvents | undefined;

  /** `events` hears of callback URLs and of jobs that end, inside the transactions that record them. */
  constructor(database: Database, events?: JobEvents) {
    this.#database = database;
    this.#events = events;
  }

  /** The job and every item, in one transaction: a job is accepted whole or not at all. */
  async create(job: NewJob, now: Date = new Date()): Promise<JobRecord> {
    let webhookSecret: string | undefined;
    await this.#database.db.transaction().execute(async (trx) => {
      let webhookEndpointId: string | null = null;
      if (job.webhookUrl !== undefined) {
        if (!this.#events) throw new Error('job webhooks are not configured');
        const callback = await this.#events.callback(trx, job.webhookUrl, job.apiKeyId);
        webhookEndpointId = callback.endpointId;
        webhookSecret = callback.secret;
      }
      await trx
        .insertInto('jobs')
        .values({
          id: job.id,
          api_key_id: job.apiKeyId,
          job_type: job.jobType,
          status: 'pending',
          request_params: toJsonText({ items: job.items.length }),
          priority: job.priority,
          total_items: job.items.length,
          created_at: now,
          updated_at: now,
          expires_at: job.expiresAt,
          webhook_url: job.webhookUrl ?? null,
          webhook_endpoint_id: webhookEndpointId,
        })
        .execute();
      for (let start = 0; start < job.items.length; start += insertChunk) {
        const rows = job.items.slice(start, start + insertChunk).map((request, offset) => ({
          job_id: job.id,
          item_index: start + offset,
          request: toJsonText(request),
          status: 'pending',
          run_after: now,
          updated_at: now,
        }));
        await trx.insertInto('job_items').values(rows).execute();
      }
    });
    const created = (await this.get(job.id))!;
    return webhookSecret === undefined ? created : { ...created, webhookSecret };
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.#database.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  /** Newest first; only `apiKeyId`'s jobs when given. */
  async list(apiKeyId: string | undefined, page: PageRequest = {}): Promise<Page<JobRecord>> {
    let query = this.#database.db.selectFrom('jobs').selectAll();
    if (apiKeyId !== undefined) query = query.where('api_key_id', '=', apiKeyId);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toJob);
  }

  async progress(jobId: string): Promise<JobProgress> {
    const rows = await this.#database.db
      .selectFrom('job_items')
      .select(({ fn }) => [
        'status',
        fn.countAll<number>().as('count'),
        fn.sum<number>('tokens').as('tokens'),
        fn.sum<number>('cost_usd').as('cost'),
      ])
      .where('job_id', '=', jobId)
      .groupBy('status')
      .execute();
    const progress: JobProgress = {
      pending: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      tokens: 0,
      costUsd: 0,
    };
    for (const row of rows) {
      if (row.status in progress) progress[row.status as 'pending'] = toNumber(row.count);
      progress.tokens += toNumber(row.tokens);
      progress.costUsd += toNumber(row.cost);
    }
    return progress;
  }

  /** `pending` → `processing` on the first claimed item; later calls change nothing. */
  async markProcessing(jobId: string, now: Date = new Date()): Promise<void> {
    await this.#database.db
      .updateTable('jobs')
      .set({ status: 'processing', started_at: now, updated_at: now })
      .where('id', '=', jobId)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * Ends the job when no item is left to run: `completed` when any item succeeded, else `failed`.
   * Conditional on the job still being open, so concurrent workers end it once. Returns the new state.
   */
  async finishIfDone(jobId: string, now: Date = new Date()): Promise<JobStatus | undefined> {
    const progress = await this.progress(jobId);
    if (progress.pending + progress.running > 0) return undefined;
    const status = progress.succeeded > 0 || progress.failed === 0 ? 'completed' : 'failed';
    const ended = await this.#database.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('jobs')
        .set({ status, completed_at: now, updated_at: now })
        .where('id', '=', jobId)
        .where('status', 'in', openStatuses)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await this.#announce(trx, jobId, status, now, progress);
      return true;
    });
    return ended ? status : undefined;
  }

  /** Cancels an open job and its pending items at once; running items stop at their next safe point. */
  async cancel(jobId: string, now: Date = new Date()): Promise<boolean> {
    return this.#database.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('jobs')
        .set({ status: 'cancelled', cancelled_at: now, completed_at: now, updated_at: now })
        .where('id', '=', jobId)
        .where('status', 'in', openStatuses)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      await trx
        .updateTable('job_items')
        .set({ status: 'cancelled', updated_at: now, completed_at: now })
        .where('job_id', '=', jobId)
        .where('status', '=', 'pending')
        .execute();
      await this.#announce(trx, jobId, 'cancelled', now);
      return true;
    });
  }

  /**
   * Jobs past `expires_at` become `expired` and their items (the results) are deleted; an open job
   * past it stops too. Returns how many jobs expired.
   */
  async expire(now: Date = new Date(), limit = 100): Promise<number> {
    const due = await this.#database.db
      .selectFrom('jobs')
      .select('id')
      .where('expires_at', '<', now)
      .where('status', '!=', 'expired')
      .limit(limit)
      .execute();
    for (const { id } of due) {
      await this.#database.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('jobs')
          .set({ status: 'expired', updated_at: now })
          .where('id', '=', id)
          .execute();
        await trx.deleteFrom('job_items').where('job_id', '=', id).execute();
        await this.#announce(trx, id, 'expired', now);
      });
    }
    return due.length;
  }

  /** Tells the events of a job that ended, in the transaction `db` that recorded the end. */
  async #announce(
    db: Kysely<DatabaseSchema>,
    jobId: string,
    status: EndedJob['status'],
    at: Date,
    progress?: JobProgress,
  ): Promise<void> {
    if (!this.#events) return;
    const row = await db
      .selectFrom('jobs')
      .select(['api_key_id', 'webhook_endpoint_id', 'total_items'])
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (!row) return;
    await this.#events.ended(db, {
      id: jobId,
      apiKeyId: row.api_key_id,
      status,
      webhookEndpointId: row.webhook_endpoint_id,
      totalItems: toNumber(row.total_items),
      progress,
      at,
    });
  }
}

function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    apiKeyId: row.api_key_id,
    jobType: row.job_type === 'batch' ? 'batch' : 'single',
    status: row.status as JobStatus,
    priority: row.priority as JobPriority,
    totalItems: toNumber(row.total_items),
    createdAt: toDate(row.created_at),
    startedAt: toDateOrNull(row.started_at),
    completedAt: toDateOrNull(row.completed_at),
    cancelledAt: toDateOrNull(row.cancelled_at),
    expiresAt: toDateOrNull(row.expires_at),
  };
}
