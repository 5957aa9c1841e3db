import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../../../test/support/test-databases.ts';
import { type DialectName, isDataError } from '../storage/dialect.ts';
import type { RequestLogSink } from './request-log-writer.ts';
import { type NewRequestLog, RequestLogsRepository } from './request-logs.repository.ts';
import { SqliteLogThread } from './sqlite-log-thread.ts';

/**
 * The one contract of a request-log sink, run against every implementation: the SQL repository on
 * both dialects, and the SQLite log thread, which receives the entries by structured clone.
 */

type SinkKind = 'repository' | 'thread';

describeEachDialect('request log sink', (dialect) => {
  const kinds: SinkKind[] = dialect === 'sqlite' ? ['repository', 'thread'] : ['repository'];
  describe.each(kinds)('%s', (kind) => sinkCases(dialect, kind));
});

const keyId = '0190a000-0000-7000-8000-00000000000a';

function sinkCases(dialect: DialectName, kind: SinkKind): void {
  let fixture: TestDatabase | undefined;
  let sink: RequestLogSink;
  beforeAll(async () => {
    fixture = await createTestDatabase(dialect);
    const { database } = fixture;
    sink =
      kind === 'thread'
        ? new SqliteLogThread({ file: database.file!, busyTimeoutMs: 5000 })
        : new RequestLogsRepository(database);
  });
  afterAll(async () => {
    await sink?.close?.();
    await fixture?.destroy();
  });
  beforeEach(async () => {
    await fixture!.truncate();
  });
  const stored = () => new RequestLogsRepository(fixture!.database);

  it('stores every field of an entry, JSON of any shape included, and fills what it leaves out', async () => {
    const createdAt = new Date('2026-04-01T12:00:00.007Z');
    const full: NewRequestLog = {
      requestId: 'req-full',
      apiKeyId: keyId,
      promptText: 'Book a table for 2 — ünïcödé ✓',
      requestParams: { provider: 'auto', options: { pii: 'redact' }, failed_attempts: [] },
      responseData: { intent: 'book', entities: [{ type: 'count', value: 2 }], note: null },
      validationStatus: 'passed',
      providerUsed: 'openai',
      model: 'gpt-x',
      processingTimeMs: 123.6,
      promptTokens: 11,
      completionTokens: 22,
      costUsd: 0.000123,
      confidence: 0.875,
      cached: true,
      createdAt,
    };
    const minimal: NewRequestLog = { requestId: 'req-minimal', validationStatus: 'error' };
    expect(await sink.insertMany([full, minimal])).toBe(2);

    const first = await stored().getByRequestId('req-full');
    expect(first).toMatchObject({
      apiKeyId: keyId,
      promptText: full.promptText,
      promptLength: full.promptText?.length,
      requestParams: full.requestParams,
      responseData: full.responseData,
      validationStatus: 'passed',
      providerUsed: 'openai',
      model: 'gpt-x',
      processingTimeMs: 124,
      tokensUsed: 33,
      costUsd: 0.000123,
      confidence: 0.875,
      cached: true,
      errorMessage: null,
      createdAt,
    });
    const second = await stored().getByRequestId('req-minimal');
    expect(second).toMatchObject({
      apiKeyId: null,
      promptText: null,
      promptLength: 0,
      requestParams: null,
      responseData: null,
      tokensUsed: 0,
      cached: false,
    });
    expect(second?.createdAt.getTime()).toBeGreaterThan(createdAt.getTime());
  });

  it('writes an answer that several entries share into each of their rows', async () => {
    const answer = ['a', 'list', { at: 'the top' }];
    const entries = [1, 2, 3].map((n) => ({
      requestId: `shared-${n}`,
      validationStatus: 'passed',
      responseData: answer,
      requestParams: { n },
    }));
    expect(await sink.insertMany(entries)).toBe(3);
    for (const n of [1, 3]) {
      expect(await stored().getByRequestId(`shared-${n}`)).toMatchObject({
        responseData: answer,
        requestParams: { n },
      });
    }
  });

  it('counts only new rows: a request id already stored is skipped, so a retried batch is harmless', async () => {
    expect(await sink.insertMany([{ requestId: 'dup', validationStatus: 'passed' }])).toBe(1);
    const retried = [
      { requestId: 'dup', validationStatus: 'passed' },
      { requestId: 'new', validationStatus: 'passed' },
    ];
    expect(await sink.insertMany(retried)).toBe(1);
    expect(await stored().count()).toBe(2);
    expect(await sink.insertMany([])).toBe(0);
  });

  it('takes batches larger than one statement can bind', async () => {
    const entries = Array.from({ length: 1234 }, (_, index) => ({
      requestId: `bulk-${index}`,
      validationStatus: 'passed',
      requestParams: { index },
    }));
    expect(await sink.insertMany(entries)).toBe(1234);
    expect(await stored().count()).toBe(1234);
  });

  it('refuses a batch with a row the database rejects as a data error, and keeps none of it', async () => {
    const batch = [
      { requestId: 'good-1', validationStatus: 'passed' },
      { requestId: 'bad', validationStatus: null as unknown as string },
      { requestId: 'good-2', validationStatus: 'passed' },
    ];
    const error = await sink.insertMany(batch).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeDefined();
    // The writer then writes the entries one by one and drops only the bad one.
    expect(isDataError(error)).toBe(true);
    expect(await stored().count()).toBe(0);
    expect(await sink.insertMany([batch[0]!, batch[2]!])).toBe(2);
  });
}
