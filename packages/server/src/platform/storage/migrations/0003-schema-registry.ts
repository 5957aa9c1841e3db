import { type Kysely, type Migration, sql } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
type AnyDb = Kysely<any>;

/**
 * The schema registry: tags and the library mark on schemas; on versions, the semantic version, the
 * body's canonical hash (to tell a real change from a resubmission), examples and the changes from
 * the version before, and the body's text as written. SQLite adds one column per statement, so each column is its own statement.
 */
export function schemaRegistryMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      const schemas = () => db.schema.alterTable('schemas');
      await schemas()
        .addColumn('tags', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
        .execute();
      await schemas()
        .addColumn('is_library', t.boolean, (c) => c.notNull().defaultTo(t.false))
        .execute();
      await schemas().addColumn('latest_semver', 'text').execute();
      const versions = () => db.schema.alterTable('schema_versions');
      await versions().addColumn('semver', 'text').execute();
      await versions().addColumn('schema_hash', 'text').execute();
      // The body as written: jsonb reorders keys, and the order of `properties` is the order models answer in.
      await versions().addColumn('schema_text', 'text').execute();
      await versions()
        .addColumn('examples', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
        .execute();
      await versions()
        .addColumn('changes', t.json, (c) => c.notNull().defaultTo(t.emptyArray))
        .execute();
      await db.schema
        .createIndex('schema_versions_semver_uq')
        .on('schema_versions')
        .columns(['schema_id', 'semver'])
        .unique()
        .where(sql.ref('semver'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('schemas_library_idx')
        .on('schemas')
        .columns(['is_library', 'created_at'])
        .execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropIndex('schemas_library_idx').ifExists().execute();
      await db.schema.dropIndex('schema_versions_semver_uq').ifExists().execute();
      for (const column of ['changes', 'examples', 'schema_text', 'schema_hash', 'semver']) {
        await db.schema.alterTable('schema_versions').dropColumn(column).execute();
      }
      for (const column of ['latest_semver', 'is_library', 'tags']) {
        await db.schema.alterTable('schemas').dropColumn(column).execute();
      }
    },
  };
}
