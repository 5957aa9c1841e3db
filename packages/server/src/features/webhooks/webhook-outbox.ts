import type { Kysely } from 'kysely';
import type { Database } from '../../platform/storage/database.ts';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import type { WebhookDeliveriesRepository } from './webhook-deliveries.repository.ts';
import type { WebhookEndpointsRepository } from './webhook-endpoints.repository.ts';

const webhookEventTypes = [
  'job.completed',
  'job.failed',
  'job.cancelled',
  'job.expired',
  'budget.threshold',
  'key.expiring',
  'webhook.test',
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

export interface WebhookEvent {
  type: WebhookEventType;
  /** The key the event is about: its subscriptions receive it. */
  apiKeyId: string;
  data: Record<string, unknown>;
  /** A job's own callback endpoint, which receives the event besides the subscriptions. */
  callbackEndpointId?: string;
  /** Deliver to this endpoint only (the test event). */
  onlyEndpointId?: string;
}

/**
 * Writes events to the outbox. Pass the transaction that makes the change the event reports, and
 * the event exists exactly when the change does: a crash after commit still delivers it, a
 * rollback never does.
 */
export class WebhookOutbox {
  readonly #database: Database;
  readonly #endpoints: WebhookEndpointsRepository;
  readonly #deliveries: WebhookDeliveriesRepository;

  constructor(
    database: Database,
    endpoints: WebhookEndpointsRepository,
    deliveries: WebhookDeliveriesRepository,
  ) {
    this.#database = database;
    this.#endpoints = endpoints;
    this.#deliveries = deliveries;
  }

  /** The message id, or undefined when no endpoint wants the event. */
  async publish(
    event: WebhookEvent,
    db: Kysely<DatabaseSchema> = this.#database.db,
  ): Promise<string | undefined> {
    const endpointIds = await this.#recipients(event, db);
    if (endpointIds.length === 0) return undefined;
    const createdAt = new Date();
    const body = JSON.stringify({ type: event.type, timestamp: createdAt.toISOString(), data: event.data });
    return this.#deliveries.enqueue(
      db,
      { eventType: event.type, apiKeyId: event.apiKeyId, body, createdAt },
      endpointIds,
    );
  }

  /** Records an account notification and publishes its event, once per `notification` and key. */
  async publishOnce(event: WebhookEvent, notification: string): Promise<string | undefined> {
    return this.#database.db.transaction().execute(async (trx) => {
      if (!(await this.#deliveries.notifyOnce(trx, event.apiKeyId, notification))) return undefined;
      return this.publish(event, trx);
    });
  }

  async #recipients(event: WebhookEvent, db: Kysely<DatabaseSchema>): Promise<string[]> {
    if (event.onlyEndpointId) return [event.onlyEndpointId];
    const subscribed = (await this.#endpoints.recipients(event.apiKeyId, db))
      .filter((endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(event.type))
      .map((endpoint) => endpoint.id);
    return event.callbackEndpointId ? [...subscribed, event.callbackEndpointId] : subscribed;
  }
}
