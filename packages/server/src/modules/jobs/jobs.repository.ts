import { type Selectable, sql } from 'kysely';
import { newId } from '../../lib/time-ordered-id.ts';
import type { Database } from '../../storage/database.ts';
import type { JobsTable } from '../../storage/database-schema.ts';
import {
  forUpdateSkipLocked,
  fromJsonText,
  isUuid,
  toDate,
  toDateOrNull,
  toJsonText,
  toJsonTextOrNull,
  toNumber,
  uuidOrNull,
} from '../../storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../storage/pagination.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRecord {
  id: string;
  apiKeyId: string | null;
  jobType: string;
  status: JobStatus;
  requestParams: unknown;
  result: unknown;
  errorMessage: string | null;
  webhookUrl: string | null;
  webhookStatus: string | null;
  idempotencyKey: string | null;
  attempts: number;
  runAfter: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  expiresAt: Date | null;
}

export interface NewJob {
  jobType: string;
  requestParams: unknown;
  apiKeyId?: string | null;
  webhookUrl?: string | null;
  idempotencyKey?: string | null;
  runAfter?: Date;
  expiresAt?: Date | null;
  createdAt?: Date;
}

export type JobPatch = Partial<
  Pick<
    JobRecord,
    | 'status'
    | 'result'
    | 'errorMessage'
    | 'webhookStatus'
    | 'runAfter'
    | 'startedAt'
    | 'completedAt'
    | 'expiresAt'
  >
>;

export interface JobFilter {
  apiKeyId?: string;
  status?: JobStatus;
  jobType?: string;
  from?: Date;
  to?: Date;
}

export class JobsRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /**
   * Queues a job. With an idempotency key, a second call by the same key returns the first job and
   * `created: false` (the unique index decides, so concurrent duplicates are safe too).
   */
  async create(input: NewJob): Promise<{ job: JobRecord; created: boolean }> {
    const now = input.createdAt ?? new Date();
    const apiKeyId = uuidOrNull(input.apiKeyId);
    const inserted = await this.#database.db
      .insertInto('jobs')
      .values({
        id: newId(now.getTime()),
        api_key_id: apiKeyId,
        job_type: input.jobType,
        status: 'queued',
        request_params: toJsonText(input.requestParams),
        webhook_url: input.webhookUrl ?? null,
        idempotency_key: input.idempotencyKey ?? null,
        attempts: 0,
        run_after: input.runAfter ?? now,
        created_at: now,
        updated_at: now,
        expires_at: input.expiresAt ?? null,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['api_key_id', 'idempotency_key'])
          .where('idempotency_key', 'is not', null)
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { job: toRecord(inserted), created: true };
    let existing = this.#database.db
      .selectFrom('jobs')
      .selectAll()
      .where('idempotency_key', '=', input.idempotencyKey ?? '');
    existing =
      apiKeyId === null
        ? existing.where('api_key_id', 'is', null)
        : existing.where('api_key_id', '=', apiKeyId);
    return { job: toRecord(await existing.executeTakeFirstOrThrow()), created: false };
  }

  async getById(id: string): Promise<JobRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(filter: JobFilter = {}, page: PageRequest = {}): Promise<Page<JobRecord>> {
    let query = this.#database.db.selectFrom('jobs').selectAll();
    if (filter.apiKeyId !== undefined) query = query.where('api_key_id', '=', uuidOrNull(filter.apiKeyId));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.jobType !== undefined) query = query.where('job_type', '=', filter.jobType);
    if (filter.from) query = query.where('created_at', '>=', filter.from);
    if (filter.to) query = query.where('created_at', '<', filter.to);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toRecord);
  }

  async update(id: string, patch: JobPatch, now: Date = new Date()): Promise<JobRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .updateTable('jobs')
      .set({
        updated_at: now,
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.result !== undefined && { result: toJsonTextOrNull(patch.result) }),
        ...(patch.errorMessage !== undefined && { error_message: patch.errorMessage }),
        ...(patch.webhookStatus !== undefined && { webhook_status: patch.webhookStatus }),
        ...(patch.runAfter !== undefined && { run_after: patch.runAfter }),
        ...(patch.startedAt !== undefined && { started_at: patch.startedAt }),
        ...(patch.completedAt !== undefined && { completed_at: patch.completedAt }),
        ...(patch.expiresAt !== undefined && { expires_at: patch.expiresAt }),
        // A job leaving `running` gives up its lease.
        ...(patch.status !== undefined &&
          patch.status !== 'running' && { locked_by: null, locked_until: null }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * Leases the oldest runnable job to `workerId` for `leaseMs`: a queued job whose time has come, or a
   * running one whose worker's lease ran out (the worker died). Safe with many workers: PostgreSQL skips
   * rows another worker holds; SQLite runs the statement under its single write lock.
   */
  async claimNext(
    workerId: string,
    options: { now?: Date; leaseMs: number; jobTypes?: string[] },
  ): Promise<JobRecord | null> {
    const now = options.now ?? new Date();
    let candidate = this.#database.db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('run_after')
      .orderBy('id')
      .limit(1);
    if (options.jobTypes?.length) candidate = candidate.where('job_type', 'in', options.jobTypes);
    const row = await this.#database.db
      .updateTable('jobs')
      .set({
        status: 'running',
        locked_by: workerId,
        locked_until: new Date(now.getTime() + options.leaseMs),
        attempts: sql`attempts + 1`,
        started_at: sql`coalesce(started_at, ${now})`,
        updated_at: now,
      })
      .where('id', '=', forUpdateSkipLocked(this.#database.dialect, candidate))
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Cancels a job that has not finished; returns null when it does not exist or already ended. */
  async cancel(id: string, now: Date = new Date()): Promise<JobRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .updateTable('jobs')
      .set({ status: 'cancelled', completed_at: now, updated_at: now, locked_by: null, locked_until: null })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.#database.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll().as('count')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.status, toNumber(row.count)]));
  }
}

function toRecord(row: Selectable<JobsTable>): JobRecord {
  return {
    id: row.id,
    apiKeyId: row.api_key_id,
    jobType: row.job_type,
    status: row.status as JobStatus,
    requestParams: fromJsonText(row.request_params),
    result: fromJsonText(row.result),
    errorMessage: row.error_message,
    webhookUrl: row.webhook_url,
    webhookStatus: row.webhook_status,
    idempotencyKey: row.idempotency_key,
    attempts: toNumber(row.attempts),
    runAfter: toDate(row.run_after),
    lockedBy: row.locked_by,
    lockedUntil: toDateOrNull(row.locked_until),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    startedAt: toDateOrNull(row.started_at),
    completedAt: toDateOrNull(row.completed_at),
    expiresAt: toDateOrNull(row.expires_at),
  };
}
