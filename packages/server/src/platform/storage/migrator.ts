import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { Database } from './database.ts';
import { migrations as builtInMigrations } from './migrations/index.ts';

const migrationTable = 'kysely_migration';

/** The database was migrated by a newer release than this code; running on would corrupt it. */
export class DatabaseNewerThanCodeError extends Error {
  readonly unknownMigrations: string[];
  constructor(unknownMigrations: string[]) {
    super(
      `The database has migrations this version does not know (${unknownMigrations.join(', ')}): it was ` +
        'migrated by a newer release. Run that release (or roll its migrations back with it) instead of ' +
        'starting an older one against this database.',
    );
    this.name = 'DatabaseNewerThanCodeError';
    this.unknownMigrations = unknownMigrations;
  }
}

class MigrationFailedError extends Error {
  readonly migration: string | undefined;
  constructor(migration: string | undefined, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(migration ? `Migration ${migration} failed: ${reason}` : `Migrating failed: ${reason}`, { cause });
    this.name = 'MigrationFailedError';
    this.migration = migration;
  }
}

export interface MigrateOptions {
  /** Replaces the built-in list (tests use it to simulate other releases). */
  migrations?: Record<string, Migration>;
}

export interface MigrationState {
  name: string;
  /** When it was applied; null while pending. */
  appliedAt: Date | null;
  /** Applied in the database but unknown to this code (a newer release ran it). */
  unknown?: true;
}

/**
 * Applies every pending migration. Concurrent callers are safe: on PostgreSQL Kysely holds an advisory
 * lock for the whole run, and on SQLite the run is one `begin immediate` transaction (see the adapter).
 * Returns the names applied by this call (empty when another process got there first).
 */
export async function migrateToLatest(database: Database, options: MigrateOptions = {}): Promise<string[]> {
  const migrator = await createMigrator(database, options);
  await refuseNewerDatabase(database, options);
  return unwrap(await migrator.migrateToLatest(), 'Up');
}

/** Reverts the most recently applied migration. Returns its name (empty when none was applied). */
export async function migrateDown(database: Database, options: MigrateOptions = {}): Promise<string[]> {
  const migrator = await createMigrator(database, options);
  await refuseNewerDatabase(database, options);
  return unwrap(await migrator.migrateDown(), 'Down');
}

/** Every known migration with its state, plus any the database has but this code does not. */
export async function migrationStatus(
  database: Database,
  options: MigrateOptions = {},
): Promise<MigrationState[]> {
  const known = Object.keys(options.migrations ?? builtInMigrations(database.dialect)).sort();
  const applied = await appliedMigrations(database);
  const states: MigrationState[] = known.map((name) => ({ name, appliedAt: applied.get(name) ?? null }));
  for (const [name, appliedAt] of applied) {
    if (!known.includes(name)) states.push({ name, appliedAt, unknown: true });
  }
  return states;
}

/** Throws `DatabaseNewerThanCodeError` when the database has applied migrations this code lacks. */
export async function refuseNewerDatabase(database: Database, options: MigrateOptions = {}): Promise<void> {
  const unknown = (await migrationStatus(database, options)).filter((state) => state.unknown);
  if (unknown.length > 0) throw new DatabaseNewerThanCodeError(unknown.map((state) => state.name));
}

async function createMigrator(database: Database, options: MigrateOptions): Promise<Migrator> {
  const provider = options.migrations ?? builtInMigrations(database.dialect);
  return new Migrator({
    // biome-ignore lint/suspicious/noExplicitAny: the migrator works below the typed schema.
    db: database.db as Kysely<any>,
    provider: { getMigrations: async () => provider },
    // Without an explicit schema Kysely would accept a migration table found in *any* schema.
    migrationTableSchema: await migrationSchema(database),
    // Numbers are handed out to work done in parallel, so a migration may arrive after one with a higher
    // number was applied. Pending ones run in name order; `down` undoes them in the order they ran.
    allowUnorderedMigrations: true,
  });
}

async function migrationSchema(database: Database): Promise<string | undefined> {
  if (database.dialect !== 'postgres') return undefined;
  if (database.schema) return database.schema;
  const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(database.db);
  return result.rows[0]?.schema ?? 'public';
}

async function appliedMigrations(database: Database): Promise<Map<string, Date>> {
  const applied = new Map<string, Date>();
  if (!(await migrationTableExists(database))) return applied;
  const rows = await sql<{ name: string; timestamp: string }>`
    select name, timestamp from ${sql.table(await qualifiedMigrationTable(database))}`.execute(database.db);
  for (const row of rows.rows) applied.set(row.name, new Date(row.timestamp));
  return applied;
}

async function qualifiedMigrationTable(database: Database): Promise<string> {
  const schema = await migrationSchema(database);
  return schema ? `${schema}.${migrationTable}` : migrationTable;
}

async function migrationTableExists(database: Database): Promise<boolean> {
  if (database.dialect === 'sqlite') {
    const result = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name = ${migrationTable}`.execute(database.db);
    return result.rows.length > 0;
  }
  const qualified = await qualifiedMigrationTable(database);
  const result = await sql<{ found: string | null }>`select to_regclass(${qualified})::text as found`.execute(
    database.db,
  );
  return result.rows[0]?.found != null;
}

function unwrap(resultSet: MigrationResultSet, direction: 'Up' | 'Down'): string[] {
  const { error, results = [] } = resultSet;
  if (error) {
    const missing = /previously executed migration (\S+) is missing/.exec(String((error as Error).message));
    if (missing) throw new DatabaseNewerThanCodeError([missing[1]!]);
    const failed = results.find((result) => result.status === 'Error');
    throw new MigrationFailedError(failed?.migrationName, error);
  }
  return results
    .filter((result) => result.status === 'Success' && result.direction === direction)
    .map((result) => result.migrationName);
}
