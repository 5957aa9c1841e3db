import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../../../test/support/test-databases.ts';
import { createDatabase, type Database, type DatabaseConfig } from '../storage/database.ts';
import type { DialectName } from '../storage/dialect.ts';
import { migrateToLatest } from '../storage/migrator.ts';
import { type RequestLogSink, RequestLogWriter, type RequestLogWriterOptions } from './request-log-writer.ts';
import { type NewRequestLog, RequestLogsRepository } from './request-logs.repository.ts';
import { SqliteLogThread } from './sqlite-log-thread.ts';

function capturingLogger() {
  const lines: { level: string; message: string | undefined; object: object }[] = [];
  const at = (level: string) => (object: object, message?: string) => {
    lines.push({ level, message, object });
  };
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const entry = (id: string): NewRequestLog => ({
  requestId: id,
  validationStatus: 'valid',
  promptText: `prompt ${id}`,
});

/** A real outage: another connection holds an exclusive lock on request_logs until released. */
async function lockRequestLogs(fixture: TestDatabase): Promise<() => Promise<void>> {
  if (fixture.dialect === 'postgres') {
    const client = new pg.Client({
      connectionString: fixture.config.url,
      options: `-c search_path=${fixture.database.schema}`,
    });
    await client.connect();
    await client.query('begin');
    await client.query('lock table request_logs in access exclusive mode');
    return async () => {
      await client.query('commit');
      await client.end();
    };
  }
  const other = new DatabaseSync(fixture.database.file!);
  other.exec('BEGIN EXCLUSIVE');
  return async () => {
    other.exec('COMMIT');
    other.close();
  };
}

/** SQLite files are written through the worker thread by default; the Kysely repository is the other path. */
type SinkKind = 'repository' | 'thread';

describeEachDialect('request log writer', (dialect) => {
  describe.each<SinkKind>(dialect === 'sqlite' ? ['repository', 'thread'] : ['repository'])(
    'through the %s sink',
    (sinkKind) => writerSuite(dialect, sinkKind),
  );
});

function writerSuite(dialect: DialectName, sinkKind: SinkKind): void {
  let fixture: TestDatabase | undefined;
  beforeAll(async () => {
    fixture = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await fixture?.destroy();
  });
  let heldLock: (() => Promise<void>) | undefined;
  const writers: RequestLogWriter[] = [];
  const lock = async () => {
    const release = await lockRequestLogs(fixture!);
    heldLock = release;
    return async () => {
      heldLock = undefined;
      await release();
    };
  };
  beforeEach(async () => {
    await fixture!.truncate();
  });
  afterEach(async () => {
    // A failed assertion must not leave the table locked for the tests after it.
    await heldLock?.();
    heldLock = undefined;
    for (const writer of writers.splice(0)) await writer.close(0);
  });
  const count = () => new RequestLogsRepository(fixture!.database).count();
  const sinkFor = (database: Database, busyTimeoutMs: number): RequestLogSink =>
    sinkKind === 'thread'
      ? new SqliteLogThread({ file: database.file!, busyTimeoutMs })
      : new RequestLogsRepository(database);
  const writerOn = (
    options: Partial<RequestLogWriterOptions> & Pick<RequestLogWriterOptions, 'logger'>,
    database = fixture!.database,
    busyTimeoutMs = 5000,
  ) => {
    const writer = new RequestLogWriter({
      sink: sinkFor(database, busyTimeoutMs),
      batchSize: 200,
      flushIntervalMs: 20,
      bufferLimit: 50_000,
      ...options,
    });
    writers.push(writer);
    return writer;
  };

  it('lands every entry of a 10,000-entry burst', async () => {
    const { logger } = capturingLogger();
    const writer = writerOn({ logger });
    for (let index = 0; index < 10_000; index++) {
      expect(writer.write(entry(`burst-${index}`))).toBe(true);
      // Let batches go out while the burst is still arriving, as under real traffic.
      if (index % 1000 === 999) await yieldToLoop();
    }
    await writer.close();
    expect(await count()).toBe(10_000);
    expect(writer.stats()).toMatchObject({ queued: 0, written: 10_000, dropped: 0, failedBatches: 0 });
  });

  it('writes an answer that several entries of a batch share into every one of their rows', async () => {
    const { logger } = capturingLogger();
    const writer = writerOn({ logger, batchSize: 10 });
    const answer = { intent: 'translate', entities: [{ type: 'language', value: 'French' }] };
    for (let index = 0; index < 10; index++) {
      writer.write({ ...entry(`shared-${index}`), responseData: answer, requestParams: { n: index } });
    }
    await writer.close();
    const repository = new RequestLogsRepository(fixture!.database);
    for (const index of [0, 9]) {
      const row = await repository.getByRequestId(`shared-${index}`);
      expect(row?.responseData).toEqual(answer);
      expect(row?.requestParams).toEqual({ n: index });
    }
  });

  it('flushes what is buffered on close, and refuses (counting) writes after it', async () => {
    const { logger } = capturingLogger();
    const writer = writerOn({ logger, batchSize: 1000, flushIntervalMs: 3_600_000 });
    for (let index = 0; index < 37; index++) writer.write(entry(`close-${index}`));
    await yieldToLoop();
    expect(await count()).toBe(0); // neither the count nor the timer has triggered a batch
    expect(writer.stats().queued).toBe(37);
    await writer.close();
    expect(await count()).toBe(37);
    expect(writer.write(entry('late'))).toBe(false);
    expect(writer.stats()).toMatchObject({ written: 37, dropped: 1, queued: 0 });
  });

  it('keeps everything below the bound through an outage and counts drops above it', async () => {
    const { lines, logger } = capturingLogger();
    // Short lock wait, so each attempt against the locked table fails quickly.
    const database = fixture!.openAnother(
      dialect === 'postgres' ? { statementTimeoutMs: 150 } : { connectionTimeoutMs: 20 },
    );
    const writer = writerOn(
      { logger, batchSize: 50, flushIntervalMs: 10, bufferLimit: 500, retryBaseMs: 20, retryMaxMs: 60 },
      database,
      20,
    );

    let release = await lock();
    for (let index = 0; index < 300; index++) expect(writer.write(entry(`outage1-${index}`))).toBe(true);
    await vi.waitFor(() => expect(writer.stats().failedBatches).toBeGreaterThanOrEqual(2), {
      timeout: 20_000,
      interval: 10,
    });
    expect(writer.stats()).toMatchObject({ queued: 300, written: 0, dropped: 0 });
    await release();
    await vi.waitFor(() => expect(writer.stats().queued).toBe(0), { timeout: 20_000, interval: 10 });
    expect(await count()).toBe(300);
    expect(writer.stats()).toMatchObject({ written: 300, dropped: 0 });
    expect(
      lines.some((line) => line.level === 'info' && line.message === 'request log writes recovered'),
    ).toBe(true);

    release = await lock();
    const failedBefore = writer.stats().failedBatches;
    let accepted = 0;
    for (let index = 0; index < 700; index++) if (writer.write(entry(`outage2-${index}`))) accepted++;
    expect(accepted).toBe(500);
    await vi.waitFor(() => expect(writer.stats().failedBatches).toBeGreaterThan(failedBefore), {
      timeout: 20_000,
      interval: 10,
    });
    expect(writer.stats()).toMatchObject({ queued: 500, dropped: 200 });
    await release();
    await writer.close();
    expect(await count()).toBe(800);
    expect(writer.stats()).toMatchObject({ queued: 0, written: 800, dropped: 200 });
    const dropLines = lines.filter((line) => line.message === 'request logs dropped');
    expect(dropLines.length).toBeGreaterThanOrEqual(1);
    expect(dropLines.length).toBeLessThan(10); // one line per outage, not one per entry
    // Prompts never reach the log.
    expect(JSON.stringify(lines)).not.toContain('prompt outage');
    await database.close();
  });

  it('drops only the entry the database rejects and writes the rest of its batch', async () => {
    const { lines, logger } = capturingLogger();
    const writer = writerOn({ logger, batchSize: 10 });
    for (let index = 0; index < 10; index++) {
      const poisoned = index === 4 ? { validationStatus: null as unknown as string } : {};
      writer.write({ ...entry(`mixed-${index}`), ...poisoned });
    }
    await writer.close();
    expect(await count()).toBe(9);
    expect(writer.stats()).toMatchObject({ written: 9, dropped: 1, failedBatches: 0 });
    expect(lines.find((line) => line.level === 'error')?.object).toMatchObject({ requestId: 'mixed-4' });
  });

  it('drops an entry the store cannot take at all (not cloneable) without blocking the queue', async () => {
    const { logger } = capturingLogger();
    const writer = writerOn({ logger, batchSize: 5 });
    for (let index = 0; index < 5; index++) {
      const poisoned = index === 2 ? { requestParams: { callback: () => index } } : {};
      writer.write({ ...entry(`clone-${index}`), ...poisoned });
    }
    await writer.close();
    // The repository serializes the function away (JSON); the thread cannot clone it and drops it.
    expect(await count()).toBe(sinkKind === 'thread' ? 4 : 5);
    expect(writer.stats()).toMatchObject({ failedBatches: 0, queued: 0 });
  });
}

describe('request log thread (SQLite)', () => {
  it('fails like an outage when its thread cannot start, and a new thread takes over', async () => {
    // A database file with no tables yet: the worker's prepared INSERT throws at start-up.
    const directory = mkdtempSync(join(tmpdir(), 'sps-log-thread-'));
    const file = join(directory, 'logs.db');
    const database = createDatabase({ url: `sqlite:${file}`, connectionTimeoutMs: 1000 } as DatabaseConfig);
    const { logger } = capturingLogger();
    const writer = new RequestLogWriter({
      sink: new SqliteLogThread({ file, busyTimeoutMs: 1000 }),
      logger,
      batchSize: 10,
      flushIntervalMs: 10,
      bufferLimit: 100,
      retryBaseMs: 20,
      retryMaxMs: 40,
    });
    try {
      for (let index = 0; index < 5; index++) writer.write(entry(`early-${index}`));
      await vi.waitFor(() => expect(writer.stats().failedBatches).toBeGreaterThanOrEqual(2), {
        timeout: 20_000,
        interval: 10,
      });
      expect(writer.stats()).toMatchObject({ queued: 5, written: 0, dropped: 0 });
      await migrateToLatest(database);
      await vi.waitFor(() => expect(writer.stats().queued).toBe(0), { timeout: 20_000, interval: 10 });
      expect(await new RequestLogsRepository(database).count()).toBe(5);
      expect(writer.stats()).toMatchObject({ written: 5, dropped: 0 });
    } finally {
      await writer.close(0);
      await database.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
