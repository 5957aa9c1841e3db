import { type Kysely, type Selectable, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../platform/storage/database.ts';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import { toDate, toDateOrNull, toNumber, toNumberOrNull } from '../../platform/storage/dialect.ts';
import type { WebhookDeliveriesTable } from '../../platform/storage/job-webhook-tables.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';

type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export interface WebhookDelivery {
  id: string;
  messageId: string;
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponseBody: string | null;
  lastLatencyMs: number | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A claimed delivery with what sending it needs. */
export interface DueDelivery extends WebhookDelivery {
  eventType: string;
  body: string;
  messageCreatedAt: Date;
}

export interface AttemptRecord {
  statusCode?: number;
  error?: string;
  responseBody?: string;
  latencyMs: number;
  at: Date;
  /** The delivery's state after this attempt. */
  status: DeliveryStatus;
  nextAttemptAt?: Date;
}

export interface NewMessage {
  eventType: string;
  apiKeyId: string | null;
  body: string;
  createdAt: Date;
}

/** The outbox and its deliveries. Claims are leases, so several processes can deliver at once. */
export class WebhookDeliveriesRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Writes one message and a pending delivery per endpoint, through `db` (a caller's transaction). */
  async enqueue(
    db: Kysely<DatabaseSchema>,
    message: NewMessage,
    endpointIds: readonly string[],
  ): Promise<string> {
    const id = uuidv7({ msecs: message.createdAt.getTime() });
    await db
      .insertInto('webhook_messages')
      .values({
        id,
        event_type: message.eventType,
        api_key_id: message.apiKeyId,
        body: message.body,
        created_at: message.createdAt,
      })
      .execute();
    if (endpointIds.length > 0) {
      await db
        .insertInto('webhook_deliveries')
        .values(endpointIds.map((endpointId) => newDelivery(id, endpointId, message.createdAt)))
        .execute();
    }
    return id;
  }

  /**
   * Leases up to `limit` due deliveries for `leaseMs`. Each is taken with a conditional update, so
   * two processes never hold the same delivery; a lease that ran out (its process died) is taken again.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const candidates = await this.#database.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: string[] = [];
    for (const { id } of candidates) {
      const result = await this.#database.db
        .updateTable('webhook_deliveries')
        .set({ locked_until: new Date(now.getTime() + leaseMs) })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) claimed.push(id);
    }
    if (claimed.length === 0) return [];
    const rows = await this.#database.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
      .selectAll('d')
      .select(['m.event_type', 'm.body', sql<Date | string>`m.created_at`.as('message_created_at')])
      .where('d.id', 'in', claimed)
      .execute();
    return rows.map((row) => ({
      ...toDelivery(row),
      eventType: row.event_type,
      body: row.body,
      messageCreatedAt: toDate(row.message_created_at),
    }));
  }

  async recordAttempt(id: string, attempt: AttemptRecord): Promise<void> {
    await this.#database.db
      .updateTable('webhook_deliveries')
      .set({
        attempts: sql<number>`attempts + 1`,
        status: attempt.status,
        next_attempt_at: attempt.nextAttemptAt ?? attempt.at,
        locked_until: null,
        last_status_code: attempt.statusCode ?? null,
        last_error: attempt.error ?? null,
        last_response_body: attempt.responseBody ?? null,
        last_latency_ms: attempt.latencyMs,
        last_attempt_at: attempt.at,
        delivered_at: attempt.status === 'succeeded' ? attempt.at : null,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Stops pending deliveries of an endpoint (disabled or deleted). */
  async cancelPending(endpointId: string): Promise<number> {
    const result = await this.#database.db
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled', locked_until: null })
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  list(endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const query = this.#database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpointId);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toDelivery);
  }

  async get(id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.#database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDelivery(row) : undefined;
  }

  /** A new pending delivery of the same message to the same endpoint. */
  async redeliver(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    const row = await this.#database.db
      .insertInto('webhook_deliveries')
      .values(newDelivery(delivery.messageId, delivery.endpointId, new Date()))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDelivery(row);
  }

  /** Records an account notification once; false when it was already recorded. */
  async notifyOnce(db: Kysely<DatabaseSchema>, apiKeyId: string, notification: string): Promise<boolean> {
    const result = await db
      .insertInto('webhook_notifications')
      .values({ api_key_id: apiKeyId, notification, created_at: new Date() })
      .onConflict((conflict) => conflict.columns(['api_key_id', 'notification']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Deliveries still to be made (for the queue-depth gauge). */
  async pendingCount(): Promise<number> {
    const row = await this.#database.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return toNumber(row.count);
  }
}

function newDelivery(messageId: string, endpointId: string, at: Date) {
  return {
    id: uuidv7(),
    message_id: messageId,
    endpoint_id: endpointId,
    status: 'pending',
    attempts: 0,
    next_attempt_at: at,
    created_at: at,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    messageId: row.message_id,
    endpointId: row.endpoint_id,
    status: row.status as DeliveryStatus,
    attempts: toNumber(row.attempts),
    nextAttemptAt: toDate(row.next_attempt_at),
    lastStatusCode: toNumberOrNull(row.last_status_code),
    lastError: row.last_error,
    lastResponseBody: row.last_response_body,
    lastLatencyMs: toNumberOrNull(row.last_latency_ms),
    lastAttemptAt: toDateOrNull(row.last_attempt_at),
    createdAt: toDate(row.created_at),
    deliveredAt: toDateOrNull(row.delivered_at),
  };
}
