import { type Kysely, type Migration, sql } from 'kysely';
import { type ColumnTypes, columnTypes, type DialectName } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
type AnyDb = Kysely<any>;

/**
 * Prompt templates with immutable semantic versions. Replaces the first schema's `prompt_templates`
 * table, which nothing ever wrote: one row per template (identity, ownership, metadata) and one per
 * version. The linked schema is a reference (an id or name and a version, as text) with no foreign
 * key, so a template never depends on how the schema registry stores its rows.
 */
export function promptTemplatesMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db) {
      await db.schema.dropTable('prompt_templates').ifExists().execute();
      await createTemplates(db, t);
      await createTemplateVersions(db, t);
    },
    async down(db) {
      await db.schema.dropTable('template_versions').ifExists().execute();
      await db.schema.dropTable('templates').ifExists().execute();
      await restoreFirstTable(db, t);
    },
  };
}

async function createTemplates(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('templates')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('is_public', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('tags', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
    // Null: the built-in library, owned by the service.
    .addColumn('owner_key_id', t.uuid)
    .addColumn('is_library', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('latest_version', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addColumn('deleted_at', t.timestamp)
    .execute();
  // Names are unique among live templates; a deleted one's name may be taken again.
  await db.schema
    .createIndex('templates_name_live_uq')
    .on('templates')
    .column('name')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('templates_created_at_idx')
    .on('templates')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('templates_owner_created_at_idx')
    .on('templates')
    .columns(['owner_key_id', 'created_at'])
    .execute();
}

async function createTemplateVersions(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('template_versions')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('template_id', t.uuid, (c) => c.notNull().references('templates.id').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('template_text', 'text', (c) => c.notNull())
    .addColumn('parameters', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
    .addColumn('schema_ref', 'text')
    .addColumn('schema_version', 'text')
    .addColumn('defaults', t.json, (c) => c.notNull().defaultTo(t.emptyObject))
    .addColumn('created_by', t.uuid)
    .addColumn('created_at', t.timestamp, (c) => c.notNull().defaultTo(t.now))
    .addUniqueConstraint('template_versions_template_version_uq', ['template_id', 'version'])
    .execute();
  await db.schema
    .createIndex('template_versions_template_created_idx')
    .on('template_versions')
    .columns(['template_id', 'created_at'])
    .execute();
}

/** The first schema's table, as it was, so rolling this migration back leaves that schema intact. */
async function restoreFirstTable(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('prompt_templates')
    .addColumn('id', t.uuid, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('template_text', 'text', (c) => c.notNull())
    .addColumn('parameters', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
    .addColumn('example_usage', t.json)
    .addColumn('schema_id', t.uuid)
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
