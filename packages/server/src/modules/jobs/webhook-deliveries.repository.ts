import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { newId } from '../../lib/time-ordered-id.ts';
import type { Database } from '../../storage/database.ts';
import type { WebhookDeliveriesTable } from '../../storage/database-schema.ts';
import {
  forUpdateSkipLocked,
  fromJsonText,
  isUuid,
  toDate,
  toDateOrNull,
  toJsonText,
  toNumber,
  toNumberOrNull,
} from '../../storage/dialect.ts';

/** pending → delivering (leased) → delivered | pending (retry later) | failed (gave up). */
export type WebhookDeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

export interface WebhookDeliveryRecord {
  id: string;
  jobId: string;
  url: string;
  eventType: string;
  payload: unknown;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface NewWebhookDelivery {
  jobId: string;
  url: string;
  eventType: string;
  payload: unknown;
  nextAttemptAt?: Date;
  createdAt?: Date;
}

export class WebhookDeliveriesRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async create(input: NewWebhookDelivery): Promise<WebhookDeliveryRecord> {
    const now = input.createdAt ?? new Date();
    const row = await this.#database.db
      .insertInto('webhook_deliveries')
      .values({
        id: newId(now.getTime()),
        job_id: input.jobId,
        url: input.url,
        event_type: input.eventType,
        payload: toJsonText(input.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: input.nextAttemptAt ?? now,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async getById(id: string): Promise<WebhookDeliveryRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async listForJob(jobId: string): Promise<WebhookDeliveryRecord[]> {
    if (!isUuid(jobId)) return [];
    const rows = await this.#database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /**
   * Leases up to `limit` due deliveries for `leaseMs` and counts the attempt. A sender that dies
   * mid-delivery leaves the row `delivering` with a past `next_attempt_at`, so it is picked up again.
   */
  async claimDue(options: { now?: Date; limit: number; leaseMs: number }): Promise<WebhookDeliveryRecord[]> {
    const now = options.now ?? new Date();
    const due = this.#database.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', 'in', ['pending', 'delivering'])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(options.limit);
    const rows = await this.#database.db
      .updateTable('webhook_deliveries')
      .set({
        status: 'delivering',
        attempts: sql`attempts + 1`,
        next_attempt_at: new Date(now.getTime() + options.leaseMs),
      })
      .where('id', 'in', forUpdateSkipLocked(this.#database.dialect, due))
      .returningAll()
      .execute();
    return rows.map(toRecord);
  }

  async markDelivered(id: string, statusCode: number, at: Date = new Date()): Promise<void> {
    await this.#database.db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered', last_status_code: statusCode, last_error: null, delivered_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** `retryAt` null: give up (status `failed`); otherwise back to `pending` until then. */
  async markFailed(
    id: string,
    outcome: { statusCode?: number | null; error: string; retryAt: Date | null },
  ): Promise<void> {
    await this.#database.db
      .updateTable('webhook_deliveries')
      .set({
        status: outcome.retryAt ? 'pending' : 'failed',
        last_status_code: outcome.statusCode ?? null,
        last_error: outcome.error,
        ...(outcome.retryAt && { next_attempt_at: outcome.retryAt }),
      })
      .where('id', '=', id)
      .execute();
  }
}

function toRecord(row: Selectable<WebhookDeliveriesTable>): WebhookDeliveryRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    url: row.url,
    eventType: row.event_type,
    payload: fromJsonText(row.payload),
    status: row.status as WebhookDeliveryStatus,
    attempts: toNumber(row.attempts),
    nextAttemptAt: toDate(row.next_attempt_at),
    lastStatusCode: toNumberOrNull(row.last_status_code),
    lastError: row.last_error,
    createdAt: toDate(row.created_at),
    deliveredAt: toDateOrNull(row.delivered_at),
  };
}
