import { describe, expect, it } from 'vitest';
import { dialectOf, sqlitePathOf } from './database.ts';
import {
  encodeSqliteParameter,
  fromJsonText,
  isDataError,
  isUniqueViolation,
  toBoolean,
  toDate,
  toJsonText,
  toNumber,
} from './dialect.ts';
import { decodeCursor, encodeCursor, pageLimit, toPage } from './pagination.ts';

describe('value codecs', () => {
  it('encodes SQLite parameters', () => {
    expect(encodeSqliteParameter(new Date('2026-01-01T00:00:00.000Z'))).toBe('2026-01-01T00:00:00.000Z');
    expect(encodeSqliteParameter(true)).toBe(1);
    expect(encodeSqliteParameter(false)).toBe(0);
    expect(encodeSqliteParameter(undefined)).toBeNull();
    expect(encodeSqliteParameter('x')).toBe('x');
  });

  it('decodes what either driver returns', () => {
    const when = new Date('2026-01-01T00:00:00.123Z');
    expect(toDate(when)).toBe(when);
    expect(toDate('2026-01-01T00:00:00.123Z')).toEqual(when);
    expect([toBoolean(1), toBoolean(true), toBoolean(0), toBoolean(false), toBoolean(null)]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(toNumber('42')).toBe(42);
    expect(toNumber(null)).toBe(0);
    expect(fromJsonText(toJsonText('a string'))).toBe('a string');
    expect(fromJsonText(toJsonText([1, { a: null }]))).toEqual([1, { a: null }]);
    expect(fromJsonText(null)).toBeNull();
  });

  it('classifies driver errors', () => {
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation({ errcode: 2067 })).toBe(true);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isDataError({ code: '22P02' })).toBe(true); // invalid text representation
    expect(isDataError({ code: '23502' })).toBe(true); // not null violation
    expect(isDataError({ errcode: 1299 })).toBe(true); // SQLITE_CONSTRAINT_NOTNULL
    expect(isDataError({ code: '57014' })).toBe(false); // statement timeout: transient
    expect(isDataError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isDataError({ errcode: 5 })).toBe(false); // SQLITE_BUSY
    expect(isDataError(new Error('Connection terminated'))).toBe(false);
    let cloneError: unknown;
    try {
      structuredClone({ callback: () => 1 });
    } catch (error) {
      cloneError = error;
    }
    expect(isDataError(cloneError)).toBe(true); // an entry the log thread cannot receive
  });
});

describe('database URLs', () => {
  it('tells the dialect and resolves SQLite paths', () => {
    expect(dialectOf('postgres://u@h/db')).toBe('postgres');
    expect(dialectOf('postgresql://u@h/db')).toBe('postgres');
    expect(dialectOf('sqlite:./data/sps.db')).toBe('sqlite');
    expect(sqlitePathOf('sqlite:./data/sps.db', '/srv/app')).toBe('/srv/app/data/sps.db');
    expect(sqlitePathOf('sqlite:/var/lib/sps.db', '/srv/app')).toBe('/var/lib/sps.db');
    expect(sqlitePathOf('sqlite:///var/lib/sps.db', '/srv/app')).toBe('/var/lib/sps.db');
    expect(sqlitePathOf('sqlite::memory:', '/srv/app')).toBe(':memory:');
  });
});

describe('pagination', () => {
  const id = '0190a000-0000-7000-8000-00000000000a';

  it('round-trips cursors and rejects anything else with bad_request', () => {
    const at = new Date('2026-01-01T00:00:00.001Z');
    expect(decodeCursor(encodeCursor({ at, id }))).toEqual({ at, id });
    for (const bad of [
      '',
      'garbage',
      Buffer.from('[1,2]').toString('base64url'),
      encodeCursor({ at, id: 'x' }),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ code: 'bad_request', status: 400 }));
    }
  });

  it('clamps limits and builds the next cursor only when more rows exist', () => {
    expect([pageLimit(undefined), pageLimit(0), pageLimit(10_000), pageLimit(7.9)]).toEqual([50, 1, 200, 7]);
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n), id }));
    const full = toPage(
      rows,
      { limit: 2 },
      (row) => row,
      (row) => row.at.getTime(),
    );
    expect(full.items).toEqual([1, 2]);
    expect(decodeCursor(full.nextCursor!)).toEqual({ at: new Date(2), id });
    expect(
      toPage(
        rows,
        { limit: 3 },
        (row) => row,
        (row) => row,
      ).nextCursor,
    ).toBeNull();
  });
});
