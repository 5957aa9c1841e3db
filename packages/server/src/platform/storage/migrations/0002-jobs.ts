import type { Kysely, Migration } from 'kysely';
import { type ColumnTypes, columnTypes, type DialectName } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
type AnyDb = Kysely<any>;

/**
 * Durable async jobs: the job row gains a priority and an item count, every item is a row of its own
 * (its lease, attempts and result), items that exhausted their retries get a dead-letter record, the
 * embedded queue keeps its messages in a table, and Idempotency-Key answers are stored per API key.
 */
export function jobsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db) {
      await db.schema
        .alterTable('jobs')
        .addColumn('priority', 'text', (c) => c.notNull().defaultTo('default'))
        .execute();
      await db.schema
        .alterTable('jobs')
        .addColumn('total_items', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('jobs').addColumn('cancelled_at', t.timestamp).execute();
      await createJobItems(db, t);
      await createDeadLetters(db, t);
      await createQueueMessages(db, t);
      await createIdempotencyKeys(db, t);
    },
    async down(db) {
      for (const table of ['idempotency_keys', 'queue_messages', 'job_dead_letters', 'job_items']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
      for (const column of ['cancelled_at', 'total_items', 'priority']) {
        await db.schema.alterTable('jobs').dropColumn(column).execute();
      }
    },
  };
}

async function createJobItems(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('job_items')
    .addColumn('job_id', t.uuid, (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('item_index', 'integer', (c) => c.notNull())
    .addColumn('request', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_after', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', t.timestamp)
    .addColumn('result', t.json)
    .addColumn('error', t.json)
    .addColumn('tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', t.double, (c) => c.notNull().defaultTo(0))
    .addColumn('latency_ms', 'integer')
    .addColumn('cached', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('completed_at', t.timestamp)
    .addPrimaryKeyConstraint('job_items_pk', ['job_id', 'item_index'])
    .execute();
  // Progress counts per job and the sweep for due or abandoned items.
  await db.schema
    .createIndex('job_items_job_status_idx')
    .on('job_items')
    .columns(['job_id', 'status'])
    .execute();
  await db.schema
    .createIndex('job_items_status_run_after_idx')
    .on('job_items')
    .columns(['status', 'run_after'])
    .execute();
}

async function createDeadLetters(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('job_dead_letters')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('job_id', t.uuid, (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('item_index', 'integer', (c) => c.notNull())
    .addColumn('api_key_id', t.uuid)
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('retried_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('job_dead_letters_created_at_idx')
    .on('job_dead_letters')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('job_dead_letters_job_idx')
    .on('job_dead_letters')
    .columns(['job_id', 'item_index'])
    .execute();
}

async function createQueueMessages(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('queue_messages')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    // The message's identity in its queue: enqueuing it again while it waits adds nothing.
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('run_after', t.timestamp, (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', t.timestamp)
    .addColumn('deliveries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();
  await db.schema
    .createIndex('queue_messages_due_idx')
    .on('queue_messages')
    .columns(['queue', 'priority', 'run_after'])
    .execute();
  await db.schema
    .createIndex('queue_messages_key_uq')
    .on('queue_messages')
    .columns(['queue', 'message_key'])
    .unique()
    .execute();
}

async function createIdempotencyKeys(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('api_key_id', t.uuid, (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_headers', t.json)
    .addColumn('response_body', 'text')
    .addColumn('locked_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['api_key_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expires_at_idx')
    .on('idempotency_keys')
    .column('expires_at')
    .execute();
}
