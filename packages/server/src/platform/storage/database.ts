import { resolve } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { Config } from '../../config/index.ts';
import type { DatabaseSchema } from './database-schema.ts';
// pg is only loaded for PostgreSQL (`loadPg`): the embedded SQLite mode should not carry its ≈ 20 MB.
import { type DialectName, loadPg, pgTypeParsers } from './dialect.ts';

import { SchemaScopedPostgresDialect } from './postgres-introspector.ts';
import { NodeSqliteDatabase, openSqliteDatabase } from './sqlite-adapter.ts';

export type DatabaseConfig = Pick<
  Config['database'],
  'url' | 'poolMax' | 'connectionTimeoutMs' | 'statementTimeoutMs'
>;

/** The minimal logger shape storage needs; pino's logger satisfies it. */
export interface StorageLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface CreateDatabaseOptions {
  /** Base for a relative `sqlite:` path (default: the process's working directory). */
  cwd?: string;
  /**
   * PostgreSQL schema to work in (created by the migrator when missing). Lets tests, or several
   * installations sharing one database, stay apart. Default: the connection's search_path.
   */
  schema?: string;
  /** Receives errors of idle pooled connections, which would otherwise crash the process. */
  logger?: StorageLogger;
}

/** One open database: the Kysely instance plus what dialect-aware code needs to know. */
export interface Database {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: DialectName;
  /** PostgreSQL schema chosen with `CreateDatabaseOptions.schema`, if any. */
  readonly schema: string | undefined;
  /** Where the SQLite file lives (undefined for PostgreSQL and in-memory SQLite). */
  readonly file: string | undefined;
  close(): Promise<void>;
}

export function dialectOf(url: string): DialectName {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
}

/** `sqlite:./data/sps.db`, `sqlite:/abs/file.db`, `sqlite:///abs/file.db`, `sqlite::memory:`. */
export function sqlitePathOf(url: string, cwd: string): string {
  let rest = url.replace(/^sqlite:/i, '');
  if (rest.startsWith('//')) rest = rest.slice(2);
  if (rest === '' || rest === ':memory:') return ':memory:';
  return resolve(cwd, rest);
}

const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens the database named by `config.url`. Does not migrate: see `migrator.ts`. */
export function createDatabase(config: DatabaseConfig, options: CreateDatabaseOptions = {}): Database {
  const dialect = dialectOf(config.url);
  if (dialect === 'sqlite') {
    const path = sqlitePathOf(config.url, options.cwd ?? process.cwd());
    // SQLite has no connect step; the connect timeout is the closest meaning for "wait for a lock".
    const raw = new NodeSqliteDatabase(
      openSqliteDatabase(path, { busyTimeoutMs: config.connectionTimeoutMs }),
    );
    const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: raw }) });
    return {
      db,
      dialect,
      schema: undefined,
      file: path === ':memory:' ? undefined : path,
      async close() {
        await db.destroy();
        // Kysely's destroy is a no-op when no query ever ran; the file handle must still be released.
        raw.close();
      },
    };
  }

  if (options.schema !== undefined && !schemaNamePattern.test(options.schema)) {
    throw new Error(`invalid PostgreSQL schema name "${options.schema}" (lowercase letters, digits, _)`);
  }
  const { Pool } = loadPg();
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'structured-prompt-service',
    types: pgTypeParsers(),
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, that kills the process.
  pool.on('error', (error) => {
    options.logger?.warn({ err: error }, 'idle PostgreSQL connection failed; the pool will reconnect');
  });
  // A checked-out client between two statements (inside a transaction) emits 'error' itself when the
  // server goes away; without a listener that is an uncaught exception. Its next query fails instead.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      options.logger?.warn({ err: error }, 'PostgreSQL connection lost while in use');
    });
  });
  const db = new Kysely<DatabaseSchema>({
    dialect: new SchemaScopedPostgresDialect({ pool }, options.schema),
  });
  return { db, dialect, schema: options.schema, file: undefined, close: () => db.destroy() };
}
