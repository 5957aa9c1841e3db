/**
 * Worker-thread entry of `SqliteLogThread`: owns a second connection to the SQLite file and writes
 * request-log batches with one prepared statement, so SQLite's synchronous work (B-tree and index
 * updates, WAL appends, checkpoints) never runs on the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from '../storage/sqlite-adapter.ts';
import { fromWire, requestLogColumns, sqliteRowValues, toRow } from './request-log-row.ts';
import type { LogThreadReply, LogThreadRequest, LogThreadSetup } from './sqlite-log-thread.ts';

const port = parentPort;
if (!port) throw new Error('sqlite-log-worker.ts runs only as a worker thread');
const setup = workerData as LogThreadSetup;
const database = openSqliteDatabase(setup.file, { busyTimeoutMs: setup.busyTimeoutMs });
const insert = database.prepare(
  `INSERT INTO request_logs (${requestLogColumns.join(', ')}) VALUES (${requestLogColumns.map(() => '?').join(', ')}) ON CONFLICT (request_id) DO NOTHING`,
);
// BEGIN IMMEDIATE: take the write lock up front so contention waits on the busy timeout.
const begin = database.prepare('BEGIN IMMEDIATE');
const commit = database.prepare('COMMIT');
const rollback = database.prepare('ROLLBACK');

port.on('message', (request: LogThreadRequest) => {
  let reply: LogThreadReply;
  try {
    begin.run();
    let inserted = 0;
    const jsonText = batchJsonText();
    for (const entry of request.entries) {
      inserted += Number(insert.run(...sqliteRowValues(toRow(fromWire(entry), jsonText))).changes);
    }
    commit.run();
    reply = { id: request.id, inserted };
  } catch (error) {
    if (database.isTransaction) rollback.run();
    const e = error as { message?: unknown; code?: unknown; errcode?: unknown; errstr?: unknown };
    reply = {
      id: request.id,
      error: {
        message: String(e?.message ?? error),
        ...(typeof e?.code === 'string' ? { code: e.code } : {}),
        ...(typeof e?.errcode === 'number' ? { errcode: e.errcode } : {}),
        ...(typeof e?.errstr === 'string' ? { errstr: e.errstr } : {}),
      },
    };
  }
  port.postMessage(reply);
});

/**
 * JSON texts for one batch. The structured clone keeps an object that several entries share (a cached
 * answer, in every hit's entry) as one object, so its text is written once per batch, not per row.
 */
function batchJsonText(): (value: unknown) => string | null {
  const texts = new Map<object, string>();
  return (value) => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object') return JSON.stringify(value);
    let text = texts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      texts.set(value, text);
    }
    return text;
  };
}
