import type { Kysely, Migration } from 'kysely';
import { type ColumnTypes, columnTypes, type DialectName } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
type AnyDb = Kysely<any>;

/**
 * Signed webhooks: endpoints (subscriptions and per-job callbacks), the outbox of events, one
 * delivery per event and endpoint, and the account notifications already sent (so a budget
 * threshold or an expiring key is announced once). The first schema's job-bound delivery table is
 * replaced by these.
 */
export function webhooksMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db) {
      await db.schema.dropTable('webhook_deliveries').ifExists().execute();
      await createEndpoints(db, t);
      await createMessages(db, t);
      await createDeliveries(db, t);
      await createNotifications(db, t);
    },
    async down(db) {
      for (const table of [
        'webhook_notifications',
        'webhook_deliveries',
        'webhook_messages',
        'webhook_endpoints',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
      await restoreJobDeliveries(db, t);
    },
  };
}

async function createEndpoints(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('api_key_id', t.uuid, (c) => c.notNull())
    // `subscription`: created through /v1/webhooks; `callback`: the webhook_url of one job.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('event_types', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
    .addColumn('enabled', t.boolean, (c) => c.notNull().defaultTo(t.true))
    .addColumn('disabled_reason', 'text')
    .addColumn('secret', 'text', (c) => c.notNull())
    // Rotation: the replaced secret still signs until previous_secret_expires_at.
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_expires_at', t.timestamp)
    .addColumn('failing_since', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_owner_idx')
    .on('webhook_endpoints')
    .columns(['api_key_id', 'kind', 'created_at'])
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_created_at_idx')
    .on('webhook_endpoints')
    .columns(['created_at', 'id'])
    .execute();
}

async function createMessages(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('webhook_messages')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('api_key_id', t.uuid)
    // The body exactly as it is signed and sent: `{type, timestamp, data}`.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();
  await db.schema
    .createIndex('webhook_messages_created_at_idx')
    .on('webhook_messages')
    .columns(['created_at', 'id'])
    .execute();
}

async function createDeliveries(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('message_id', t.uuid, (c) => c.notNull().references('webhook_messages.id').onDelete('cascade'))
    .addColumn('endpoint_id', t.uuid, (c) =>
      c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
    )
    // pending → succeeded | failed (retries exhausted) | cancelled (endpoint disabled or deleted)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('locked_until', t.timestamp)
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_response_body', 'text')
    .addColumn('last_latency_ms', 'integer')
    .addColumn('last_attempt_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('delivered_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due_idx')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_idx')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at', 'id'])
    .execute();
}

async function createNotifications(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('webhook_notifications')
    .addColumn('api_key_id', t.uuid, (c) => c.notNull())
    // e.g. `budget.threshold:80:2026-12`, `key.expiring:2026-12-31T00:00:00.000Z`
    .addColumn('notification', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addPrimaryKeyConstraint('webhook_notifications_pk', ['api_key_id', 'notification'])
    .execute();
}

/** The first schema's job-bound delivery table, as `down` leaves it. */
async function restoreJobDeliveries(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('job_id', t.uuid, (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('delivered_at', t.timestamp)
    .execute();
}
