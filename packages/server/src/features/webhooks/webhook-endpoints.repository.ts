import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../platform/storage/database.ts';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import { fromJsonText, toBoolean, toDate, toDateOrNull, toJsonText } from '../../platform/storage/dialect.ts';
import type { WebhookEndpointsTable } from '../../platform/storage/job-webhook-tables.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';

/** A subscription made through the API, or the callback URL of one job. */
type EndpointKind = 'subscription' | 'callback';

export interface WebhookEndpoint {
  id: string;
  ownerKeyId: string;
  kind: EndpointKind;
  url: string;
  description: string | null;
  /** Empty: every event type. */
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewEndpoint {
  ownerKeyId: string;
  kind: EndpointKind;
  url: string;
  description?: string | null;
  eventTypes?: string[];
  secret: string;
}

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  enabled?: boolean;
  disabledReason?: string | null;
}

/** Webhook endpoints on SQLite or PostgreSQL; deleted ones are kept (deliveries refer to them). */
export class WebhookEndpointsRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Inserts through `db`, which may be a transaction the caller holds. */
  async insert(
    endpoint: NewEndpoint,
    db: Kysely<DatabaseSchema> = this.#database.db,
  ): Promise<WebhookEndpoint> {
    const now = new Date();
    const row = await db
      .insertInto('webhook_endpoints')
      .values({
        id: uuidv7({ msecs: now.getTime() }),
        api_key_id: endpoint.ownerKeyId,
        kind: endpoint.kind,
        url: endpoint.url,
        description: endpoint.description ?? null,
        event_types: toJsonText(endpoint.eventTypes ?? []),
        enabled: true,
        secret: endpoint.secret,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEndpoint(row);
  }

  async get(id: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.#database.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row ? toEndpoint(row) : undefined;
  }

  /** Subscriptions, newest first; all owners when `ownerKeyId` is undefined. */
  list(ownerKeyId: string | undefined, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    let query = this.#database.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('kind', '=', 'subscription')
      .where('deleted_at', 'is', null);
    if (ownerKeyId) query = query.where('api_key_id', '=', ownerKeyId);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toEndpoint);
  }

  /** Enabled endpoints that may receive an event of the key `ownerKeyId`. */
  async recipients(
    ownerKeyId: string,
    db: Kysely<DatabaseSchema> = this.#database.db,
  ): Promise<WebhookEndpoint[]> {
    const rows = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('api_key_id', '=', ownerKeyId)
      .where('kind', '=', 'subscription')
      .where('deleted_at', 'is', null)
      .execute();
    return rows.map(toEndpoint).filter((endpoint) => endpoint.enabled);
  }

  async update(id: string, changes: EndpointChanges): Promise<WebhookEndpoint | undefined> {
    const row = await this.#database.db
      .updateTable('webhook_endpoints')
      .set({
        ...(changes.url !== undefined && { url: changes.url }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.eventTypes !== undefined && { event_types: toJsonText(changes.eventTypes) }),
        ...(changes.enabled !== undefined && { enabled: changes.enabled }),
        ...(changes.enabled === true && { failing_since: null, disabled_reason: null }),
        ...(changes.disabledReason !== undefined && { disabled_reason: changes.disabledReason }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toEndpoint(row) : undefined;
  }

  async rotateSecret(
    id: string,
    secret: string,
    previousValidUntil: Date,
  ): Promise<WebhookEndpoint | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const row = await this.#database.db
      .updateTable('webhook_endpoints')
      .set({
        secret,
        previous_secret: current.secret,
        previous_secret_expires_at: previousValidUntil,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toEndpoint(row) : undefined;
  }

  /** Records a failed attempt's time (the first of a run of failures) or clears it on success. */
  async markHealth(id: string, succeeded: boolean, at: Date): Promise<void> {
    const query = this.#database.db.updateTable('webhook_endpoints').where('id', '=', id);
    if (succeeded) await query.set({ failing_since: null }).execute();
    else await query.set({ failing_since: at }).where('failing_since', 'is', null).execute();
  }

  async softDelete(id: string): Promise<boolean> {
    const result = await this.#database.db
      .updateTable('webhook_endpoints')
      .set({ deleted_at: new Date(), enabled: false })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    ownerKeyId: row.api_key_id,
    kind: row.kind as EndpointKind,
    url: row.url,
    description: row.description,
    eventTypes: fromJsonText<string[]>(row.event_types),
    enabled: toBoolean(row.enabled),
    disabledReason: row.disabled_reason,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: toDateOrNull(row.previous_secret_expires_at),
    failingSince: toDateOrNull(row.failing_since),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
