import { type Kysely, type Migration, sql } from 'kysely';
import { type ColumnTypes, columnTypes, type DialectName } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
type AnyDb = Kysely<any>;

/** The first schema: every table of the data model and an index for each lookup the API makes. */
export function initialMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db) {
      await createApiKeys(db, t);
      await createRequestLogs(db, t);
      await createSchemas(db, t);
      await createPromptTemplates(db, t);
      await createJobs(db, t);
      await createAuditLogs(db, t);
    },
    async down(db) {
      for (const table of [
        'audit_logs',
        'webhook_deliveries',
        'jobs',
        'prompt_templates',
        'schema_versions',
        'schemas',
        'request_logs',
        'api_keys',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}

async function createApiKeys(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('scopes', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
    .addColumn('rate_limit_per_hour', 'integer', (c) => c.notNull().defaultTo(1000))
    .addColumn('tokens_per_minute', 'integer')
    .addColumn('monthly_budget_usd', t.double)
    .addColumn('suspicious_input_policy', 'text')
    .addColumn('is_active', t.boolean, (c) => c.notNull().defaultTo(t.true))
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('expires_at', t.timestamp)
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    // Rotation: the replaced secret keeps working until previous_key_valid_until (grace period).
    .addColumn('previous_key_hash', 'text')
    .addColumn('previous_key_valid_until', t.timestamp)
    .execute();
  await db.schema
    .createIndex('api_keys_previous_key_hash_idx')
    .on('api_keys')
    .column('previous_key_hash')
    .execute();
  await db.schema
    .createIndex('api_keys_created_at_idx')
    .on('api_keys')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema.createIndex('api_keys_team_idx').on('api_keys').column('team').execute();
}

async function createRequestLogs(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('request_logs')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().unique())
    // No foreign key: a log line must never fail to land because of the key row's state.
    .addColumn('api_key_id', t.uuid)
    .addColumn('prompt_text', 'text')
    .addColumn('prompt_length', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('request_params', t.json)
    .addColumn('response_data', t.json)
    .addColumn('validation_status', 'text', (c) => c.notNull())
    .addColumn('provider_used', 'text')
    .addColumn('model', 'text')
    .addColumn('processing_time_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tokens_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', t.double, (c) => c.notNull().defaultTo(0))
    .addColumn('confidence', t.double)
    .addColumn('cached', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('error_message', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .execute();
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('request_logs').columns(columns).execute();
  await index('request_logs_created_at_idx', ['created_at', 'id']);
  // Usage sums (this hour / this month per key) and per-key log listing.
  await index('request_logs_api_key_created_at_idx', ['api_key_id', 'created_at']);
  await index('request_logs_provider_created_at_idx', ['provider_used', 'created_at']);
  await index('request_logs_status_created_at_idx', ['validation_status', 'created_at']);
}

async function createSchemas(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('schemas')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('is_public', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('latest_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', t.uuid)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('deleted_at', t.timestamp)
    .execute();
  // A deleted name may be registered again.
  await db.schema
    .createIndex('schemas_name_live_uq')
    .on('schemas')
    .column('name')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('schemas_created_at_idx').on('schemas').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('schema_versions')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('schema_id', t.uuid, (c) => c.notNull().references('schemas.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('schema_definition', t.json, (c) => c.notNull())
    .addColumn('created_by', t.uuid)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addUniqueConstraint('schema_versions_schema_version_uq', ['schema_id', 'version'])
    .execute();
}

async function createPromptTemplates(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('prompt_templates')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('template_text', 'text', (c) => c.notNull())
    .addColumn('parameters', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
    .addColumn('example_usage', t.json)
    .addColumn('schema_id', t.uuid, (c) => c.references('schemas.id').onDelete('set null'))
    .addColumn('schema_version', 'integer')
    .addColumn('is_public', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('created_by', t.uuid)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('prompt_templates_name_version_uq')
    .on('prompt_templates')
    .columns(['name', 'version'])
    .unique()
    .execute();
  await db.schema
    .createIndex('prompt_templates_created_at_idx')
    .on('prompt_templates')
    .columns(['created_at', 'id'])
    .execute();
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: a shipped migration is a table definition read top to bottom and never edited; splitting it would only scatter one table.
async function createJobs(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('api_key_id', t.uuid)
    .addColumn('job_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('request_params', t.json, (c) => c.notNull())
    .addColumn('result', t.json)
    .addColumn('error_message', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_status', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_after', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('started_at', t.timestamp)
    .addColumn('completed_at', t.timestamp)
    .addColumn('expires_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('jobs_idempotency_uq')
    .on('jobs')
    .columns(['api_key_id', 'idempotency_key'])
    .unique()
    .where(sql.ref('idempotency_key'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('jobs_status_run_after_idx')
    .on('jobs')
    .columns(['status', 'run_after'])
    .execute();
  await db.schema
    .createIndex('jobs_api_key_created_at_idx')
    .on('jobs')
    .columns(['api_key_id', 'created_at'])
    .execute();
  await db.schema.createIndex('jobs_created_at_idx').on('jobs').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('jobs_expires_at_idx').on('jobs').column('expires_at').execute();

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
  await db.schema
    .createIndex('webhook_deliveries_due_idx')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_job_idx')
    .on('webhook_deliveries')
    .columns(['job_id', 'created_at'])
    .execute();
}

async function createAuditLogs(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('audit_logs')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('timestamp', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('actor_key_id', t.uuid)
    .addColumn('ip', 'text')
    .addColumn('resource', 'text')
    .addColumn('details', t.json, (c) => c.notNull().defaultTo(t.emptyObject))
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .execute();
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('audit_logs').columns(columns).execute();
  await index('audit_logs_timestamp_idx', ['timestamp', 'id']);
  await index('audit_logs_event_timestamp_idx', ['event_type', 'timestamp']);
  await index('audit_logs_actor_timestamp_idx', ['actor_key_id', 'timestamp']);
}
