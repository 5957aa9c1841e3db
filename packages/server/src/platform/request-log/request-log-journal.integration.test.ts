import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-databases.ts';
import { RequestLogJournal } from './request-log-journal.ts';
import { RequestLogWriter } from './request-log-writer.ts';
import { type NewRequestLog, RequestLogsRepository } from './request-logs.repository.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const directories: string[] = [];
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sps-journal-test-'));
  directories.push(dir);
  return dir;
}

const entry = (id: string, costUsd = 0.01): NewRequestLog => ({
  requestId: id,
  validationStatus: 'passed',
  costUsd,
  createdAt: new Date(Date.UTC(2026, 0, 15, 12, 0, Number(id.replace(/\D/g, '')) % 60)),
});

/** Bytes the journal's files hold: what a crash now would leave for the next start. */
function journaledBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

describe('request log journal', () => {
  it('hands back what a process that never closed it appended, dates included, in order', () => {
    const dir = journalDir();
    const first = RequestLogJournal.open({ dir, fsync: 'off', logger: quiet });
    expect(first.recovered).toEqual([]);
    const written = ['r1', 'r2', 'r3'].map((id) => entry(id));
    for (const item of written) first.journal.append(item);
    // No close: the process is gone.
    const second = RequestLogJournal.open({ dir, fsync: 'off', logger: quiet });
    expect(second.recovered).toEqual(written);
    expect(second.recovered[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('skips a line torn by a crash in the middle of a write and keeps the rest', () => {
    const dir = journalDir();
    const { journal } = RequestLogJournal.open({ dir, fsync: 'always', logger: quiet });
    journal.append(entry('r1'));
    journal.append(entry('r2'));
    const [segment] = readdirSync(dir);
    appendFileSync(join(dir, segment!), '{"requestId":"r3","validat');
    expect(
      RequestLogJournal.open({ dir, fsync: 'off', logger: quiet }).recovered.map((e) => e.requestId),
    ).toEqual(['r1', 'r2']);
  });

  it('forgets entries once settled: segments deleted, the current one truncated', () => {
    const dir = journalDir();
    const { journal } = RequestLogJournal.open({ dir, fsync: 'batch', logger: quiet, segmentBytes: 200 });
    for (let index = 0; index < 6; index += 1) journal.append(entry(`r${index}`));
    expect(readdirSync(dir).length).toBeGreaterThan(1);
    journal.settle(4);
    const left = RequestLogJournal.open({ dir, fsync: 'off', logger: quiet }).recovered;
    expect(left.map((e) => e.requestId)).toEqual(['r4', 'r5']);
    journal.settle(2);
    expect(journaledBytes(dir)).toBe(0);
    journal.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('request log journal on a failing disk', () => {
  it('never throws to the request path, logs the failure once and keeps counting in order', () => {
    const dir = journalDir();
    const errors: unknown[] = [];
    const logger = { ...quiet, error: (object: object) => errors.push(object) };
    // A new segment per entry, so each append after the directory is gone has to create a file.
    const { journal } = RequestLogJournal.open({ dir, fsync: 'off', logger, segmentBytes: 1 });
    journal.append(entry('f1'));
    rmSync(dir, { recursive: true, force: true });
    expect(() => {
      journal.append(entry('f2'));
      journal.append(entry('f3'));
      journal.settle(3);
      journal.close();
    }).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});

describe('request log writer with a journal', () => {
  it('stores after a restart what was answered but not yet written, once, and leaves the journal empty', async () => {
    const fixture = await createTestDatabase('sqlite');
    const dir = journalDir();
    try {
      const sink = new RequestLogsRepository(fixture.database);
      const options = { sink, logger: quiet, batchSize: 100, flushIntervalMs: 60_000, bufferLimit: 1000 };
      const before = new RequestLogWriter({
        ...options,
        journal: RequestLogJournal.open({ dir, fsync: 'off', logger: quiet }).journal,
      });
      before.write(entry('a1'));
      before.write(entry('a2'));
      await before.flush();
      before.write(entry('a3', 0.25));
      before.write(entry('a4', 0.5));
      // The process dies here: a3 and a4 were answered but are only in memory and in the journal.
      const reopened = RequestLogJournal.open({ dir, fsync: 'off', logger: quiet });
      expect(reopened.recovered.map((e) => e.requestId)).toEqual(['a3', 'a4']);
      const after = new RequestLogWriter({ ...options, journal: reopened.journal });
      after.restore(reopened.recovered);
      expect(await after.flush()).toBe(true);
      const rows = await fixture.database.db
        .selectFrom('request_logs')
        .select(['request_id', 'cost_usd', 'created_at'])
        .orderBy('request_id')
        .execute();
      expect(rows.map((row) => row.request_id)).toEqual(['a1', 'a2', 'a3', 'a4']);
      expect(rows.map((row) => Number(row.cost_usd))).toEqual([0.01, 0.01, 0.25, 0.5]);
      expect(new Date(rows[2]!.created_at).toISOString()).toBe(entry('a3').createdAt!.toISOString());
      expect(journaledBytes(dir)).toBe(0);
      await after.close();
      expect(RequestLogJournal.open({ dir, fsync: 'off', logger: quiet }).recovered).toEqual([]);
    } finally {
      await fixture.destroy();
    }
  });

  it('keeps what the database did not take at shutdown in the journal instead of dropping it', async () => {
    const dir = journalDir();
    const failing = {
      insertMany: async () =>
        Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    };
    const writer = new RequestLogWriter({
      sink: failing,
      logger: quiet,
      batchSize: 10,
      flushIntervalMs: 10,
      bufferLimit: 100,
      retryBaseMs: 5,
      journal: RequestLogJournal.open({ dir, fsync: 'batch', logger: quiet }).journal,
    });
    writer.write(entry('k1'));
    writer.write(entry('k2'));
    await writer.close(30);
    expect(writer.stats().dropped).toBe(0);
    expect(
      RequestLogJournal.open({ dir, fsync: 'off', logger: quiet }).recovered.map((e) => e.requestId),
    ).toEqual(['k1', 'k2']);
  });
});
