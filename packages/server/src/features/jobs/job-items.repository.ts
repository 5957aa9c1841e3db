import type { AnalyzeRequest } from '@structured-prompt/contracts';
import { type Selectable, sql, type UpdateObject } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../platform/storage/database.ts';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import {
  fromJsonText,
  toBoolean,
  toDate,
  toDateOrNull,
  toJsonText,
  toJsonTextOrNull,
  toNumber,
  toNumberOrNull,
} from '../../platform/storage/dialect.ts';
import type { ItemError, ItemRef, ItemStatus, JobItemRecord, JobPriority, JobStatus } from './job-types.ts';

type ItemRow = Selectable<DatabaseSchema['job_items']>;

/** What a worker learns when it tries to take an item. */
export type ClaimResult =
  | {
      kind: 'claimed';
      request: AnalyzeRequest;
      /** Attempts so far, this one included. */
      attempts: number;
      apiKeyId: string | null;
      priority: JobPriority;
    }
  /** Done, cancelled or gone: nothing left to do for this message. */
  | { kind: 'finished' }
  /** Not due yet, or leased by another worker: try again after `retryInMs`. */
  | { kind: 'busy'; retryInMs: number };

export interface ItemOutcome {
  status: 'succeeded' | 'failed';
  result?: unknown;
  error?: ItemError;
  tokens: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
}

const closedJobs: JobStatus[] = ['cancelled', 'expired'];

/**
 * Items as leased work. Every write after the claim is conditional on this worker still holding the
 * lease, so an item whose lease passed to another worker is written once, by that worker.
 */
export class JobItemsRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async claim(ref: ItemRef, workerId: string, leaseMs: number, now: Date = new Date()): Promise<ClaimResult> {
    const row = await this.#database.db
      .selectFrom('job_items')
      .innerJoin('jobs', 'jobs.id', 'job_items.job_id')
      .select([
        'job_items.status',
        'job_items.attempts',
        'job_items.run_after',
        'job_items.locked_until',
        'job_items.request',
        'jobs.status as job_status',
        'jobs.api_key_id',
        'jobs.priority',
      ])
      .where('job_items.job_id', '=', ref.jobId)
      .where('job_items.item_index', '=', ref.index)
      .executeTakeFirst();
    if (!row || (row.status !== 'pending' && row.status !== 'running')) return { kind: 'finished' };
    if (closedJobs.includes(row.job_status as JobStatus)) {
      await this.#cancelOpenItem(ref, now);
      return { kind: 'finished' };
    }
    const dueIn = toDate(row.run_after).getTime() - now.getTime();
    if (dueIn > 0) return { kind: 'busy', retryInMs: dueIn };
    const lockedUntil = toDateOrNull(row.locked_until);
    if (row.status === 'running' && lockedUntil && lockedUntil > now) {
      return { kind: 'busy', retryInMs: lockedUntil.getTime() - now.getTime() };
    }
    const attempts = toNumber(row.attempts);
    const taken = await this.#database.db
      .updateTable('job_items')
      .set({
        status: 'running',
        attempts: attempts + 1,
        locked_by: workerId,
        locked_until: new Date(now.getTime() + leaseMs),
        updated_at: now,
      })
      .where('job_id', '=', ref.jobId)
      .where('item_index', '=', ref.index)
      .where('status', '=', row.status)
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    if (taken.numUpdatedRows === 0n) return { kind: 'busy', retryInMs: leaseMs };
    return {
      kind: 'claimed',
      request: fromJsonText<AnalyzeRequest>(row.request),
      attempts: attempts + 1,
      apiKeyId: row.api_key_id,
      priority: row.priority as JobPriority,
    };
  }

  async #cancelOpenItem(ref: ItemRef, now: Date): Promise<void> {
    await this.#database.db
      .updateTable('job_items')
      .set({ status: 'cancelled', locked_by: null, locked_until: null, updated_at: now, completed_at: now })
      .where('job_id', '=', ref.jobId)
      .where('item_index', '=', ref.index)
      .where('status', 'in', ['pending', 'running'])
      .execute();
  }

  /** Extends the leases this worker holds (its heartbeat). */
  async heartbeat(workerId: string, leaseMs: number, now: Date = new Date()): Promise<void> {
    await this.#database.db
      .updateTable('job_items')
      .set({ locked_until: new Date(now.getTime() + leaseMs) })
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .execute();
  }

  /** Writes the item's outcome if this worker still holds it; false when the lease was lost. */
  complete(ref: ItemRef, workerId: string, outcome: ItemOutcome, now: Date = new Date()) {
    return this.#releaseHeld(ref, workerId, {
      status: outcome.status,
      result: toJsonTextOrNull(outcome.result),
      error: toJsonTextOrNull(outcome.error),
      tokens: outcome.tokens,
      cost_usd: outcome.costUsd,
      latency_ms: Math.round(outcome.latencyMs),
      cached: outcome.cached,
      updated_at: now,
      completed_at: now,
    });
  }

  /** A retryable failure: back to `pending`, due at `runAfter`, the error kept for the reader. */
  reschedule(ref: ItemRef, workerId: string, runAfter: Date, error: ItemError, now = new Date()) {
    return this.#releaseHeld(ref, workerId, {
      status: 'pending',
      run_after: runAfter,
      error: toJsonText(error),
      updated_at: now,
    });
  }

  /** Applies `changes` and gives up the lease, only while `workerId` still holds the running item. */
  async #releaseHeld(ref: ItemRef, workerId: string, changes: UpdateObject<DatabaseSchema, 'job_items'>) {
    const result = await this.#database.db
      .updateTable('job_items')
      .set({ ...changes, locked_by: null, locked_until: null })
      .where('job_id', '=', ref.jobId)
      .where('item_index', '=', ref.index)
      .where('status', '=', 'running')
      .where('locked_by', '=', workerId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The last retry failed: the item fails and a dead-letter record is written, together. */
  async deadLetter(ref: ItemRef, workerId: string, outcome: ItemOutcome, now: Date = new Date()) {
    return this.#database.db.transaction().execute(async (trx) => {
      const repository = new JobItemsRepository({ ...this.#database, db: trx });
      if (!(await repository.complete(ref, workerId, outcome, now))) return false;
      const item = await trx
        .selectFrom('job_items')
        .innerJoin('jobs', 'jobs.id', 'job_items.job_id')
        .select(['job_items.attempts', 'jobs.api_key_id'])
        .where('job_items.job_id', '=', ref.jobId)
        .where('job_items.item_index', '=', ref.index)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('job_dead_letters')
        .values({
          id: uuidv7({ msecs: now.getTime() }),
          job_id: ref.jobId,
          item_index: ref.index,
          api_key_id: item.api_key_id,
          attempts: toNumber(item.attempts),
          error: toJsonText(outcome.error),
          created_at: now,
        })
        .execute();
      return true;
    });
  }

  /** Graceful shutdown: items this worker holds go back to `pending`, the attempt not counted. */
  async release(workerId: string, now: Date = new Date()): Promise<ItemRef[]> {
    const rows = await this.#database.db
      .updateTable('job_items')
      .set({
        status: 'pending',
        attempts: sql`attempts - 1`,
        locked_by: null,
        locked_until: null,
        updated_at: now,
      })
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .returning(['job_id', 'item_index'])
      .execute();
    return rows.map((row) => ({ jobId: row.job_id, index: toNumber(row.item_index) }));
  }

  /** Items in index order after `afterIndex`, `limit` of them. */
  async page(jobId: string, afterIndex: number, limit: number): Promise<JobItemRecord[]> {
    const rows = await this.#database.db
      .selectFrom('job_items')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('item_index', '>', afterIndex)
      .orderBy('item_index')
      .limit(limit)
      .execute();
    return rows.map(toItem);
  }

  /**
   * Work a queue may have lost: pending items due and untouched since `staleBefore`, and running items
   * whose lease ran out. Each is touched, so the next sweep does not return it again at once.
   */
  async sweep(staleBefore: Date, now: Date = new Date(), limit = 500) {
    const rows = await this.#database.db
      .selectFrom('job_items')
      .innerJoin('jobs', 'jobs.id', 'job_items.job_id')
      .select(['job_items.job_id', 'job_items.item_index', 'jobs.priority'])
      .where((eb) =>
        eb.or([
          eb.and([
            eb('job_items.status', '=', 'pending'),
            eb('job_items.run_after', '<=', now),
            eb('job_items.updated_at', '<=', staleBefore),
          ]),
          eb.and([eb('job_items.status', '=', 'running'), eb('job_items.locked_until', '<=', now)]),
        ]),
      )
      .where('jobs.status', 'in', ['pending', 'processing'])
      .limit(limit)
      .execute();
    for (const row of rows) {
      await this.#database.db
        .updateTable('job_items')
        .set({ updated_at: now })
        .where('job_id', '=', row.job_id)
        .where('item_index', '=', row.item_index)
        .execute();
    }
    return rows.map((row) => ({
      ref: { jobId: row.job_id, index: toNumber(row.item_index) },
      priority: row.priority as JobPriority,
    }));
  }
}

function toItem(row: ItemRow): JobItemRecord {
  return {
    jobId: row.job_id,
    index: toNumber(row.item_index),
    status: row.status as ItemStatus,
    attempts: toNumber(row.attempts),
    result: fromJsonText(row.result),
    error: fromJsonText<ItemError | null>(row.error),
    tokens: toNumber(row.tokens),
    costUsd: toNumber(row.cost_usd),
    latencyMs: toNumberOrNull(row.latency_ms),
    cached: toBoolean(row.cached),
    completedAt: toDateOrNull(row.completed_at),
  };
}
