import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from './database.ts';

const sqliteConfig = (url: string) => ({
  url,
  poolMax: 1,
  connectionTimeoutMs: 100,
  statementTimeoutMs: 1000,
});

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sps-db-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('createDatabase (SQLite)', () => {
  it('creates the data directory for a relative sqlite: URL and answers queries', async () => {
    const database = createDatabase(sqliteConfig('sqlite:./data/sps.db'), { cwd: directory });
    expect(database.dialect).toBe('sqlite');
    expect(database.file).toBe(join(directory, 'data', 'sps.db'));
    expect(existsSync(join(directory, 'data', 'sps.db'))).toBe(true);
    const result = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(result.rows).toEqual([{ one: 1 }]);
    await database.close();
  });

  it.skipIf(!existsSync('/proc/self/fd'))(
    'releases the file on close even when no query ever ran (needs /proc to count open files)',
    async () => {
      const file = join(directory, 'unused.db');
      const openHandles = () =>
        readdirSync('/proc/self/fd').filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`) === file;
          } catch {
            return false; // the fd of readdir itself is gone by now
          }
        }).length;
      const database = createDatabase(sqliteConfig(`sqlite:${file}`));
      expect(openHandles()).toBeGreaterThan(0);
      await database.close();
      expect(openHandles()).toBe(0);
    },
  );

  it('rejects a PostgreSQL schema name that is not a plain identifier', () => {
    expect(() =>
      createDatabase(sqliteConfig('postgres://u@127.0.0.1:1/db'), { schema: 'x; drop table y' }),
    ).toThrow(/invalid PostgreSQL schema name/);
  });
});
