import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeSqliteDatabase, openSqliteDatabase } from './sqlite-adapter.ts';

interface Things {
  things: { id: number; label: string; at: string | null; flag: number | null };
}

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sps-adapter-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function kyselyOn(database: DatabaseSync) {
  return new Kysely<Things>({ dialect: new SqliteDialect({ database: new NodeSqliteDatabase(database) }) });
}

describe('openSqliteDatabase', () => {
  it('creates the parent directory and sets WAL, synchronous=NORMAL, busy timeout and foreign keys', () => {
    const file = join(directory, 'nested', 'deeper', 'app.db');
    const database = openSqliteDatabase(file, { busyTimeoutMs: 1234 });
    try {
      const pragma = (name: string) => Object.values(database.prepare(`PRAGMA ${name}`).get() ?? {})[0];
      expect(pragma('journal_mode')).toBe('wal');
      expect(pragma('synchronous')).toBe(1); // NORMAL
      expect(pragma('busy_timeout')).toBe(1234);
      expect(pragma('foreign_keys')).toBe(1);
    } finally {
      database.close();
    }
  });

  it('opens an in-memory database without touching the file system', () => {
    const database = openSqliteDatabase(':memory:', { busyTimeoutMs: 10 });
    expect(database.prepare('select 1 as one').get()).toEqual({ one: 1 });
    database.close();
  });
});

describe('NodeSqliteDatabase through Kysely', () => {
  it('routes row-returning statements to all() and others to run()', async () => {
    const db = kyselyOn(openSqliteDatabase(':memory:', { busyTimeoutMs: 10 }));
    await db.schema
      .createTable('things')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('at', 'text')
      .addColumn('flag', 'integer')
      .execute();

    const plain = await db
      .insertInto('things')
      .values({ id: 1, label: 'a', at: null, flag: null })
      .executeTakeFirst();
    expect(plain.insertId).toBe(1n);
    expect(plain.numInsertedOrUpdatedRows).toBe(1n);

    const returned = await db
      .insertInto('things')
      .values({ id: 2, label: 'b', at: null, flag: null })
      .returning(['id', 'label'])
      .executeTakeFirst();
    expect(returned).toEqual({ id: 2, label: 'b' });

    const updated = await db.updateTable('things').set({ label: 'z' }).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    expect(await db.selectFrom('things').select('label').orderBy('id').execute()).toEqual([
      { label: 'z' },
      { label: 'z' },
    ]);

    const streamed: unknown[] = [];
    for await (const row of db.selectFrom('things').select('id').orderBy('id').stream()) streamed.push(row);
    expect(streamed).toEqual([{ id: 1 }, { id: 2 }]);
    await db.destroy();
  });

  it('binds Date as ISO-8601 text, booleans as 0/1 and undefined as NULL', async () => {
    const raw = openSqliteDatabase(':memory:', { busyTimeoutMs: 10 });
    const adapter = new NodeSqliteDatabase(raw);
    const when = new Date('2026-01-02T03:04:05.678Z');
    const rows = adapter
      .prepare('select ? as at, ? as yes, ? as no, ? as absent')
      .all([when, true, false, undefined]);
    expect(rows).toEqual([{ at: '2026-01-02T03:04:05.678Z', yes: 1, no: 0, absent: null }]);
    adapter.close();
    adapter.close(); // closing twice is harmless (Kysely destroy after a manual close)
  });

  it('rolls back a failed transaction', async () => {
    const db = kyselyOn(openSqliteDatabase(':memory:', { busyTimeoutMs: 10 }));
    await sql`create table things (id integer primary key, label text not null, at text, flag integer)`.execute(
      db,
    );
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('things').values({ id: 1, label: 'kept?', at: null, flag: null }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.selectFrom('things').selectAll().execute()).toEqual([]);
    await db.destroy();
  });

  it("opens Kysely's transactions with BEGIN IMMEDIATE, taking the write lock up front", async () => {
    const file = join(directory, 'locks.db');
    const db = kyselyOn(openSqliteDatabase(file, { busyTimeoutMs: 10 }));
    await sql`create table things (id integer primary key, label text not null, at text, flag integer)`.execute(
      db,
    );
    const other = new DatabaseSync(file);
    other.exec('PRAGMA busy_timeout = 0');
    try {
      await db.transaction().execute(async (trx) => {
        // Only a read so far: a deferred BEGIN would not hold the write lock yet.
        await trx.selectFrom('things').selectAll().execute();
        expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
      });
      other.exec('BEGIN IMMEDIATE'); // released at commit
      other.exec('COMMIT');
    } finally {
      other.close();
      await db.destroy();
    }
  });

  it('surfaces SQLite errors with their extended code', async () => {
    const db = kyselyOn(openSqliteDatabase(':memory:', { busyTimeoutMs: 10 }));
    await sql`create table things (id integer primary key, label text not null, at text, flag integer)`.execute(
      db,
    );
    await db.insertInto('things').values({ id: 1, label: 'a', at: null, flag: null }).execute();
    await expect(
      db.insertInto('things').values({ id: 1, label: 'b', at: null, flag: null }).execute(),
    ).rejects.toMatchObject({ errcode: 1555 }); // SQLITE_CONSTRAINT_PRIMARYKEY
    await db.destroy();
  });
});
