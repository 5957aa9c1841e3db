import { type Kysely, type Migration, sql } from 'kysely';
import { type ColumnTypes, columnTypes, type DialectName } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
type AnyDb = Kysely<any>;

/** Latency histogram of the rollups, in ms: requests at or below each bound (the last one: above all). */
const latencyBucketColumns = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 'inf'].map(
  (bound) => `latency_le_${bound}`,
);

/** New request_logs columns: what replay, the history filters, erasure and the rollups read. */
const requestLogColumns = (t: ColumnTypes) =>
  [
    // The request as asked, minus the prompt: provider, model, temperature, max_tokens, options and an
    // inline schema (never keys or secrets; the key is api_key_id).
    ['request_options', t.json],
    ['schema_hash', 'text'],
    // `id@version` of a registered schema or template, when the request named one.
    ['schema_ref', 'text'],
    ['template_ref', 'text'],
    // Each model call: provider, model, reason, tokens and cost.
    ['attempts', t.json],
    ['attempt_count', 'integer'],
    // The response-cache key, so erasing a request also removes its cached answer.
    ['cache_key', 'text'],
    // A cache hit's saved tokens and dollars (what the cached answer had cost).
    ['saved_tokens', 'integer'],
    ['saved_cost_usd', t.double],
    // Set when the prompt and answer were erased (deletion request or prompt retention).
    ['erased_at', t.timestamp],
  ] as const;

/**
 * Request history, usage rollups and an append-only audit log: the columns replay needs, per-key
 * prompt storage, full-text search on prompts (FTS5 / tsvector, ADR 0059), hourly usage rollups
 * (ADR 0060) and triggers that refuse changes to audit rows (ADR 0061).
 */
export function historyUsageMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db) {
      for (const [name, type] of requestLogColumns(t)) {
        await db.schema.alterTable('request_logs').addColumn(name, type).execute();
      }
      await db.schema.alterTable('api_keys').addColumn('store_prompts', t.boolean).execute();
      // Usage counted for limits and budgets starts here when later than the hour or month start.
      await db.schema.alterTable('api_keys').addColumn('usage_reset_at', t.timestamp).execute();
      const index = (name: string, columns: string[]) =>
        db.schema.createIndex(name).on('request_logs').columns(columns).execute();
      await index('request_logs_model_created_at_idx', ['model', 'created_at']);
      await index('request_logs_schema_ref_created_at_idx', ['schema_ref', 'created_at']);
      await index('request_logs_template_ref_created_at_idx', ['template_ref', 'created_at']);
      await createUsageRollups(db, t);
      await db.schema
        .createTable('audit_purge_permits')
        .addColumn('id', t.uuid, (c) => c.primaryKey())
        .addColumn('purge_before', t.timestamp, (c) => c.notNull())
        .execute();
      if (dialect === 'sqlite') await sqliteUp(db);
      else await postgresUp(db);
    },
    async down(db) {
      if (dialect === 'sqlite') await sqliteDown(db);
      else await postgresDown(db);
      await db.schema.dropTable('audit_purge_permits').ifExists().execute();
      await db.schema.dropTable('usage_rollups').ifExists().execute();
      for (const name of [
        'request_logs_model_created_at_idx',
        'request_logs_schema_ref_created_at_idx',
        'request_logs_template_ref_created_at_idx',
      ]) {
        await db.schema.dropIndex(name).ifExists().execute();
      }
      await db.schema.alterTable('api_keys').dropColumn('store_prompts').execute();
      await db.schema.alterTable('api_keys').dropColumn('usage_reset_at').execute();
      for (const [name] of requestLogColumns(t)) {
        await db.schema.alterTable('request_logs').dropColumn(name).execute();
      }
    },
  };
}

async function createUsageRollups(db: AnyDb, t: ColumnTypes): Promise<void> {
  let table = db.schema
    .createTable('usage_rollups')
    .addColumn('bucket_start', t.timestamp, (c) => c.notNull())
    // Empty text, not null, for "none", so the dimensions can form the primary key on both dialects.
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('schema_key', 'text', (c) => c.notNull())
    .addColumn('template_key', 'text', (c) => c.notNull());
  for (const name of [
    'requests',
    'prompt_tokens',
    'completion_tokens',
    'cache_hits',
    'saved_tokens',
    'errors',
    'validation_failures',
    'first_attempt_passes',
    'latency_ms_sum',
    ...latencyBucketColumns,
  ]) {
    table = table.addColumn(name, 'bigint', (c) => c.notNull().defaultTo(0));
  }
  await table
    .addColumn('cost_usd', t.double, (c) => c.notNull().defaultTo(0))
    .addColumn('saved_cost_usd', t.double, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('usage_rollups_pk', [
      'bucket_start',
      'api_key_id',
      'provider',
      'model',
      'schema_key',
      'template_key',
    ])
    .execute();
  await db.schema
    .createIndex('usage_rollups_key_bucket_idx')
    .on('usage_rollups')
    .columns(['api_key_id', 'bucket_start'])
    .execute();
}

const appendOnlyMessage = 'audit_logs is append-only; only the retention task deletes expired rows';

async function sqliteUp(db: AnyDb): Promise<void> {
  await sql`create virtual table request_logs_fts using fts5(prompt_text, content='request_logs', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(
    db,
  );
  await sql`create trigger request_logs_fts_ai after insert on request_logs when new.prompt_text is not null begin
    insert into request_logs_fts(rowid, prompt_text) values (new.rowid, new.prompt_text); end`.execute(db);
  await sql`create trigger request_logs_fts_ad after delete on request_logs when old.prompt_text is not null begin
    insert into request_logs_fts(request_logs_fts, rowid, prompt_text) values ('delete', old.rowid, old.prompt_text); end`.execute(
    db,
  );
  await sql`create trigger request_logs_fts_au after update of prompt_text on request_logs begin
    insert into request_logs_fts(request_logs_fts, rowid, prompt_text) select 'delete', old.rowid, old.prompt_text where old.prompt_text is not null;
    insert into request_logs_fts(rowid, prompt_text) select new.rowid, new.prompt_text where new.prompt_text is not null; end`.execute(
    db,
  );
  await sql`insert into request_logs_fts(request_logs_fts) values ('rebuild')`.execute(db);
  await sql`create trigger audit_logs_no_update before update on audit_logs begin
    select raise(abort, ${sql.lit(appendOnlyMessage)}); end`.execute(db);
  await sql`create trigger audit_logs_no_delete before delete on audit_logs
    when not exists (select 1 from audit_purge_permits where old.timestamp < purge_before) begin
    select raise(abort, ${sql.lit(appendOnlyMessage)}); end`.execute(db);
}

async function sqliteDown(db: AnyDb): Promise<void> {
  for (const trigger of [
    'audit_logs_no_update',
    'audit_logs_no_delete',
    'request_logs_fts_ai',
    'request_logs_fts_ad',
    'request_logs_fts_au',
  ]) {
    await sql`drop trigger if exists ${sql.id(trigger)}`.execute(db);
  }
  await sql`drop table if exists request_logs_fts`.execute(db);
}

async function postgresUp(db: AnyDb): Promise<void> {
  await sql`create index request_logs_prompt_fts_idx on request_logs using gin (to_tsvector('simple', coalesce(prompt_text, '')))`.execute(
    db,
  );
  await sql`create function audit_logs_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and exists (select 1 from audit_purge_permits where old.timestamp < purge_before) then
        return old;
      end if;
      raise exception ${sql.lit(appendOnlyMessage)} using errcode = 'P0001';
    end $$`.execute(db);
  await sql`create trigger audit_logs_append_only before update or delete on audit_logs
    for each row execute function audit_logs_append_only()`.execute(db);
  await sql`create trigger audit_logs_no_truncate before truncate on audit_logs
    for each statement execute function audit_logs_append_only()`.execute(db);
}

async function postgresDown(db: AnyDb): Promise<void> {
  await sql`drop trigger if exists audit_logs_no_truncate on audit_logs`.execute(db);
  await sql`drop trigger if exists audit_logs_append_only on audit_logs`.execute(db);
  await sql`drop function if exists audit_logs_append_only()`.execute(db);
  await sql`drop index if exists request_logs_prompt_fts_idx`.execute(db);
}
