/**
 * Worker-thread entry of `SqliteLogThread`: owns a second connection to the SQLite file and writes
 * request-log batches with one prepared statement, so SQLite's synchronous work (B-tree and index
 * updates, WAL appends, checkpoints) never runs on the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from '../storage/sqlite-adapter.ts';
import { requestLogColumns, sqliteRowValues, toRow } from './request-log-row.ts';
import type { LogThreadReply, LogThreadRequest, LogThreadSetup } from './sqlite-log-thread.ts';
import { rollupDeltas, sqliteRollupUpsert, sqliteRollupValues } from './usage-rollup.ts';

const port = parentPort;
if (!port) throw new Error('sqlite-log-worker.ts runs only as a worker thread');
const setup = workerData as LogThreadSetup;
const database = openSqliteDatabase(setup.file, { busyTimeoutMs: setup.busyTimeoutMs });
const insert = database.prepare(
  `INSERT INTO request_logs (${requestLogColumns.join(', ')}) VALUES (${requestLogColumns.map(() => '?').join(', ')}) ON CONFLICT (request_id) DO NOTHING`,
);
const upsertRollup = database.prepare(sqliteRollupUpsert);
// BEGIN IMMEDIATE: take the write lock up front so contention waits on the busy timeout.
const begin = database.prepare('BEGIN IMMEDIATE');
const commit = database.prepare('COMMIT');
const rollback = database.prepare('ROLLBACK');

port.on('message', (request: LogThreadRequest) => {
  let reply: LogThreadReply;
  try {
    begin.run();
    let inserted = 0;
    const added = [];
    for (const entry of request.entries) {
      const row = toRow(entry);
      const changes = Number(insert.run(...sqliteRowValues(row)).changes);
      inserted += changes;
      if (changes > 0) added.push(row);
    }
    // Usage rollups count only the rows this batch really added (ADR 0060).
    for (const delta of rollupDeltas(added)) upsertRollup.run(...sqliteRollupValues(delta));
    commit.run();
    reply = { id: request.id, inserted };
  } catch (error) {
    if (database.isTransaction) rollback.run();
    reply = { id: request.id, error: errorReply(error) };
  }
  port.postMessage(reply);
});

/** The error as plain data, keeping SQLite's `errcode` so the writer can tell a bad row from an outage. */
function errorReply(error: unknown): Extract<LogThreadReply, { error: unknown }>['error'] {
  const e = error as { message?: unknown; code?: unknown; errcode?: unknown; errstr?: unknown };
  return {
    message: String(e?.message ?? error),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.errcode === 'number' ? { errcode: e.errcode } : {}),
    ...(typeof e?.errstr === 'string' ? { errstr: e.errstr } : {}),
  };
}
