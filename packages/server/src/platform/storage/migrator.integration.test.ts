import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../../../test/support/test-databases.ts';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';
import {
  DatabaseNewerThanCodeError,
  migrateDown,
  migrateToLatest,
  migrationStatus,
  refuseNewerDatabase,
} from './migrator.ts';

const appTables = [
  'api_keys',
  'audit_logs',
  'audit_purge_permits',
  'idempotency_keys',
  'job_dead_letters',
  'job_items',
  'jobs',
  'queue_messages',
  'request_logs',
  'schema_versions',
  'schemas',
  'template_versions',
  'templates',
  'usage_rollups',
  'webhook_deliveries',
  'webhook_endpoints',
  'webhook_messages',
  'webhook_notifications',
];

async function tablesOf(database: Database): Promise<string[]> {
  const tables = await database.db.introspection.getTables();
  return (
    tables
      .filter((table) => database.dialect === 'sqlite' || table.schema === database.schema)
      .map((table) => table.name)
      // The SQLite full-text index's own tables (FTS5 virtual table and its shadow tables).
      .filter((name) => !name.startsWith('kysely_') && !name.startsWith('request_logs_fts'))
      .sort()
  );
}

describeEachDialect('migrations', (dialect) => {
  let fixture: TestDatabase | undefined;
  afterEach(async () => {
    await fixture?.destroy();
    fixture = undefined;
  });

  it('migrates an empty database up, down and up again, and a re-run is a no-op', async () => {
    fixture = await createTestDatabase(dialect, { migrate: false });
    const { database } = fixture;
    expect(await tablesOf(database)).toEqual([]);
    expect((await migrationStatus(database)).every((state) => state.appliedAt === null)).toBe(true);

    expect(await migrateToLatest(database)).toEqual(Object.keys(migrations(dialect)));
    expect(await tablesOf(database)).toEqual(appTables);
    expect((await migrationStatus(database)).every((state) => state.appliedAt instanceof Date)).toBe(true);

    expect(await migrateToLatest(database)).toEqual([]);

    const names = Object.keys(migrations(dialect));
    for (const name of [...names].reverse()) expect(await migrateDown(database)).toEqual([name]);
    expect(await tablesOf(database)).toEqual([]);

    expect(await migrateToLatest(database)).toEqual(names);
    expect(await tablesOf(database)).toEqual(appTables);
  });

  it('refuses a database migrated by a newer release, naming the unknown migration', async () => {
    fixture = await createTestDatabase(dialect, { migrate: false });
    const { database } = fixture;
    const future = {
      ...migrations(dialect),
      '9999_from_the_future': {
        async up(db: typeof database.db) {
          await sql`create table future_thing (id integer)`.execute(db);
        },
      },
    };
    expect(await migrateToLatest(database, { migrations: future })).toContain('9999_from_the_future');

    const attempt = migrateToLatest(database);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseNewerThanCodeError);
    await expect(attempt).rejects.toThrow(/9999_from_the_future.*newer release/);
    await expect(migrateDown(database)).rejects.toBeInstanceOf(DatabaseNewerThanCodeError);
    await expect(refuseNewerDatabase(database)).rejects.toBeInstanceOf(DatabaseNewerThanCodeError);
    const status = await migrationStatus(database);
    expect(status.find((state) => state.name === '9999_from_the_future')?.unknown).toBe(true);
  });
});

describeEachDialect('migrations that arrive out of order', (dialect) => {
  it('applies a migration numbered below one already applied, and undoes migrations in the order they ran', async () => {
    const fixture = await createTestDatabase(dialect, { migrate: false });
    try {
      const { database } = fixture;
      const table = (name: string) => ({
        async up(db: typeof database.db) {
          await sql`create table ${sql.table(name)} (id integer)`.execute(db);
        },
        async down(db: typeof database.db) {
          await sql`drop table ${sql.table(name)}`.execute(db);
        },
      });
      const before = { ...migrations(dialect), '9998_later_number': table('later_thing') };
      expect(await migrateToLatest(database, { migrations: before })).toContain('9998_later_number');
      const after = { ...before, '9997_earlier_number': table('earlier_thing') };
      expect(await migrateToLatest(database, { migrations: after })).toEqual(['9997_earlier_number']);
      expect(await tablesOf(database)).toEqual(expect.arrayContaining(['earlier_thing', 'later_thing']));
      expect(await migrateDown(database, { migrations: after })).toEqual(['9997_earlier_number']);
      expect(await migrateDown(database, { migrations: after })).toEqual(['9998_later_number']);
    } finally {
      await fixture.destroy();
    }
  });
});

describeEachDialect('migrations under concurrency', (dialect) => {
  const title =
    dialect === 'sqlite'
      ? 'concurrent boot (skipped on SQLite: embedded mode is one process; node:sqlite connections in one process would block each other)'
      : 'two processes booting at once against one PostgreSQL apply each migration exactly once';
  it.skipIf(dialect === 'sqlite')(title, async () => {
    const fixture = await createTestDatabase(dialect, { migrate: false });
    try {
      const booting = [fixture.openAnother(), fixture.openAnother(), fixture.openAnother()];
      const results = await Promise.all(booting.map((database) => migrateToLatest(database)));
      // Exactly one booter applied the migrations; the others waited on the lock and found nothing to do.
      expect(results.flat().sort()).toEqual(Object.keys(migrations(dialect)));
      expect(results.filter((applied) => applied.length > 0)).toHaveLength(1);
      const rows = await sql<{
        name: string;
      }>`select name from ${sql.table(`${fixture.database.schema}.kysely_migration`)}`.execute(
        fixture.database.db,
      );
      expect(rows.rows.map((row) => row.name)).toEqual(Object.keys(migrations(dialect)));
      expect(await tablesOf(fixture.database)).toEqual(appTables);
    } finally {
      await fixture.destroy();
    }
  });
});

describeEachDialect('migrations beside other installations', (dialect) => {
  const title =
    dialect === 'sqlite'
      ? 'other installations (skipped on SQLite: a SQLite file holds one installation)'
      : 'migrate while other installations sharing the PostgreSQL database create and drop their schemas';
  it.skipIf(dialect === 'sqlite')(title, async () => {
    const fixture = await createTestDatabase(dialect, { migrate: false });
    const neighbour = fixture.openAnother();
    let churning = true;
    const churn = (async () => {
      for (let round = 0; churning && round < 400; round++) {
        const name = `${fixture.database.schema}_n${round}`;
        await sql`create schema ${sql.id(name)}`.execute(neighbour.db);
        await sql`create table ${sql.table(`${name}.t`)} (id serial primary key)`.execute(neighbour.db);
        await sql`drop schema ${sql.id(name)} cascade`.execute(neighbour.db);
      }
    })();
    try {
      const database = fixture.openAnother();
      for (let attempt = 0; attempt < 15; attempt++) {
        await migrateToLatest(database);
        expect(await migrationStatus(database)).toHaveLength(Object.keys(migrations(dialect)).length);
        if (attempt % 2 === 0) await migrateDown(database);
      }
      // The service's introspection lists its own schema only, whatever else the database holds.
      const schemas = new Set((await database.db.introspection.getTables()).map((table) => table.schema));
      expect([...schemas]).toEqual([fixture.database.schema]);
    } finally {
      churning = false;
      await churn;
      await fixture.destroy();
    }
  });
});

describe('migration list', () => {
  it('names sort in the order they must run', () => {
    const names = Object.keys(migrations('sqlite'));
    expect(names).toEqual([...names].sort());
    expect(Object.keys(migrations('postgres'))).toEqual(names);
  });
});
