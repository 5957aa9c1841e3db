import { loadOnFirstUse } from '@structured-prompt/gateway';
import { type Expression, type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { CustomTypesConfig } from 'pg';

/**
 * Every difference between SQLite and PostgreSQL lives in this file, so repositories are written once:
 *
 * - timestamps: `timestamptz(3)` on PostgreSQL; ISO-8601 UTC text (`…sssZ`, sorts like time) on SQLite.
 *   Repositories always bind `Date`s (the SQLite adapter encodes them) and decode reads with `toDate`.
 * - JSON: `jsonb` on PostgreSQL, `text` on SQLite. Always bound as JSON text (`toJsonText`: `pg` would
 *   turn a JS array into a PostgreSQL array otherwise) and, because the pool below returns json
 *   columns unparsed, always read back as text and decoded with `fromJsonText` — the same on both.
 * - booleans: `boolean` vs `integer` 0/1; read with `toBoolean`.
 * - numbers: `int8` counts arrive as strings from `pg` unless parsed; read with `toNumber`.
 * - UUIDs: `uuid` vs `text`, generated in the application (time-ordered v7, `uuid` package) on both.
 * - upserts: both speak `INSERT … ON CONFLICT (…) DO UPDATE/NOTHING`, so Kysely's `onConflict` is
 *   used as is; row locking (`FOR UPDATE SKIP LOCKED`) exists only on PostgreSQL (`forUpdateSkipLocked`).
 */
export type DialectName = 'sqlite' | 'postgres';

/** Column types for migrations, per dialect. */
export interface ColumnTypes {
  uuid: 'uuid' | 'text';
  timestamp: 'timestamptz(3)' | 'text';
  json: 'jsonb' | 'text';
  boolean: 'boolean' | 'integer';
  double: 'double precision' | 'real';
  /** Default for `created_at`-like columns, in the same format the application writes. */
  now: RawBuilder<unknown>;
  /** Boolean literal defaults. */
  true: RawBuilder<unknown>;
  false: RawBuilder<unknown>;
  /** Empty JSON array / object defaults. */
  emptyArray: RawBuilder<unknown>;
  emptyObject: RawBuilder<unknown>;
}

export function columnTypes(dialect: DialectName): ColumnTypes {
  if (dialect === 'postgres') {
    return {
      uuid: 'uuid',
      // Millisecond precision, like JS Dates, so a keyset cursor round-trips exactly.
      timestamp: 'timestamptz(3)',
      json: 'jsonb',
      boolean: 'boolean',
      double: 'double precision',
      now: sql`now()`,
      true: sql`true`,
      false: sql`false`,
      emptyArray: sql`'[]'::jsonb`,
      emptyObject: sql`'{}'::jsonb`,
    };
  }
  return {
    uuid: 'text',
    timestamp: 'text',
    json: 'text',
    boolean: 'integer',
    double: 'real',
    // Same shape as Date#toISOString so text comparison stays chronological.
    now: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    true: sql`1`,
    false: sql`0`,
    emptyArray: sql`'[]'`,
    emptyObject: sql`'{}'`,
  };
}

/** How a JS value is bound to a node:sqlite statement (it accepts neither Date nor undefined). */
export function encodeSqliteParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

const pgJsonOids = new Set([114, 3802]); // json, jsonb
const pgInt8Oid = 20;

/** `pg`, loaded on first use so SQLite-only processes never load it. */
export const loadPg = loadOnFirstUse<typeof pg>('pg', import.meta.url);

/** `pg` type parsers for our pool: json stays text (see above), int8 becomes a number. */
/** Built on first use, so SQLite-only processes never load `pg`. */
export function pgTypeParsers(): CustomTypesConfig {
  const { types } = loadPg();
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (pgJsonOids.has(oid)) return (value: string) => value;
      if (oid === pgInt8Oid) return (value: string) => Number(value);
      return types.getTypeParser(oid, format);
    }) as CustomTypesConfig['getTypeParser'],
  };
}

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new TypeError(`expected a timestamp, got ${typeof value}`);
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === '1' || value === 't';
}

export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function toJsonTextOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function fromJsonText<T = unknown>(value: unknown): T {
  if (value === null || value === undefined) return null as T;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Case-insensitive "contains" match: `ILIKE` on PostgreSQL, `LIKE` (ASCII case-insensitive) on SQLite. */
export function containsText(dialect: DialectName, column: Expression<unknown>, needle: string) {
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return dialect === 'postgres'
    ? sql<boolean>`${column} ilike ${pattern} escape '\\'`
    : sql<boolean>`${column} like ${pattern} escape '\\'`;
}

/** A JSON array column holds `value` (a string): `@>` on jsonb, `json_each` on SQLite text. */
export function jsonArrayContains(dialect: DialectName, column: Expression<unknown>, value: string) {
  return dialect === 'postgres'
    ? sql<boolean>`${column} @> ${JSON.stringify([value])}::jsonb`
    : sql<boolean>`exists (select 1 from json_each(${column}) where json_each.value = ${value})`;
}

interface DriverError {
  name?: unknown;
  code?: unknown;
  errcode?: unknown;
  message?: unknown;
}

/** A unique constraint was violated (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  const e = (error ?? {}) as DriverError;
  return e.code === '23505' || e.errcode === 2067 || e.errcode === 1555;
}

/**
 * The statement itself is wrong for this data (constraint, type, size) — retrying cannot help.
 * Everything else (refused connection, timeouts, locks, busy files) is treated as transient.
 */
export function isDataError(error: unknown): boolean {
  const e = (error ?? {}) as DriverError;
  // A value that cannot be handed to the SQLite log thread is as unstorable as one the database refuses.
  if (e.name === 'DataCloneError') return true;
  if (typeof e.code === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(e.code)) return true;
  if (typeof e.errcode === 'number') {
    const primary = e.errcode & 0xff;
    return primary === 18 || primary === 19 || primary === 20; // TOOBIG, CONSTRAINT, MISMATCH
  }
  return false;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PostgreSQL rejects a malformed uuid with an error; callers treat it as "no such row" instead. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
