import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import type { Tracer } from '../observability/tracing.ts';
import type { Database } from '../storage/database.ts';
import { RequestLogJournal } from './request-log-journal.ts';
import { type RequestLogSink, RequestLogWriter } from './request-log-writer.ts';
import { RequestLogsRepository } from './request-logs.repository.ts';
import { SqliteLogThread } from './sqlite-log-thread.ts';

/** The request-log writer: its sink, its journal (with what an earlier process left), traced writes. */
export function buildLogWriter(
  database: Database,
  config: Readonly<Config>,
  logger: Logger,
  tracer: Tracer | undefined,
): RequestLogWriter {
  const sink = requestLogSink(database, config);
  const journal = openJournal(database, config, logger);
  const writer = new RequestLogWriter({
    sink: tracer
      ? {
          insertMany: (entries) => tracer.dbWrite('request_logs', () => sink.insertMany(entries)),
          close: () => sink.close?.() ?? Promise.resolve(),
        }
      : sink,
    logger,
    batchSize: config.requestLogs.batchSize,
    flushIntervalMs: config.requestLogs.flushIntervalMs,
    bufferLimit: config.requestLogs.bufferLimit,
    journal: journal?.journal,
  });
  if (journal) writer.restore(journal.recovered);
  return writer;
}

/**
 * The request-log journal and what an earlier process left in it. Off for in-memory SQLite, whose
 * rows would not outlive the process anyway.
 */
function openJournal(database: Database, config: Readonly<Config>, logger: Logger) {
  const { journal, journalDir, journalFsync } = config.requestLogs;
  if (!journal) return undefined;
  let dir = journalDir === undefined ? undefined : resolve(journalDir);
  if (dir === undefined && database.dialect === 'sqlite') {
    if (database.file === undefined) return undefined;
    dir = join(dirname(database.file), 'request-log-journal');
  }
  return RequestLogJournal.open({
    dir: dir ?? resolve('data', 'request-log-journal'),
    fsync: journalFsync,
    logger,
  });
}

/** A SQLite file gets its log inserts off the event loop; PostgreSQL already does its work elsewhere. */
function requestLogSink(database: Database, config: Readonly<Config>): RequestLogSink {
  if (database.dialect === 'sqlite' && database.file !== undefined && config.requestLogs.writerThread) {
    return new SqliteLogThread({ file: database.file, busyTimeoutMs: config.database.connectionTimeoutMs });
  }
  return new RequestLogsRepository(database);
}
