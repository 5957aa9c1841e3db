import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { encodeSqliteParameter } from './dialect.ts';

export interface SqliteOpenOptions {
  /** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
}

/**
 * Opens a node:sqlite database tuned for a long-running server: WAL (readers never block the writer),
 * synchronous=NORMAL (durable across process crashes; WAL makes fsync per commit unnecessary), a busy
 * timeout, and foreign keys. The parent directory is created so a fresh clone starts with no setup.
 */
export function openSqliteDatabase(path: string, options: SqliteOpenOptions): DatabaseSync {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const database = new DatabaseSync(inMemory ? ':memory:' : path, { enableForeignKeyConstraints: true });
  try {
    database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
    if (!inMemory) database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = NORMAL');
    database.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/**
 * Presents a node:sqlite `DatabaseSync` as the better-sqlite3-shaped object Kysely's `SqliteDialect`
 * drives. node:sqlite differs in three ways handled here: statements take spread parameters instead
 * of an array, they have no `reader` flag (a statement returns rows exactly when it has result
 * columns, which also covers `INSERT … RETURNING`), and it binds neither `Date` nor `undefined`.
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #database: DatabaseSync;
  /**
   * Prepared statements by SQL text. Kysely prepares every query it runs; the hot ones (a full batch
   * of request logs, a key lookup) repeat the same text, and SQLite's parse-and-plan is the costly
   * part of a small statement. Bounded: the least recently used statement is dropped first.
   */
  readonly #statements = new Map<string, NodeSqliteStatement>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  close(): void {
    this.#statements.clear();
    if (this.#database.isOpen) this.#database.close();
  }

  prepare(sqlText: string): SqliteStatement {
    const text = rewriteBegin(sqlText);
    let statement = this.#statements.get(text);
    if (statement) {
      // Move to the end: Map order is the recency order.
      this.#statements.delete(text);
    } else {
      statement = new NodeSqliteStatement(this.#database.prepare(text));
      if (this.#statements.size >= statementCacheSize) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
    }
    this.#statements.set(text, statement);
    return statement;
  }
}

const statementCacheSize = 200;

/**
 * Kysely opens transactions with a plain (deferred) `begin`. In WAL mode a deferred transaction that
 * reads and then writes fails with SQLITE_BUSY at once, without waiting, when another process (the
 * migrate CLI, a second server) committed in between. `begin immediate` takes the write lock up front,
 * so contention is handled by the busy timeout instead.
 */
function rewriteBegin(sqlText: string): string {
  return /^\s*begin\s*(transaction)?\s*;?\s*$/i.test(sqlText) ? 'begin immediate' : sqlText;
}

class NodeSqliteStatement implements SqliteStatement {
  readonly #statement: StatementSync;
  readonly reader: boolean;

  constructor(statement: StatementSync) {
    this.#statement = statement;
    this.reader = statement.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#statement.all(...encode(parameters));
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#statement.run(...encode(parameters));
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#statement.iterate(...encode(parameters));
  }
}

type Bindable = null | number | bigint | string | NodeJS.ArrayBufferView;

function encode(parameters: ReadonlyArray<unknown>): Bindable[] {
  return parameters.map((value) => encodeSqliteParameter(value) as Bindable);
}
