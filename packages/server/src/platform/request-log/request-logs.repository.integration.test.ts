import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { RequestLogsRepository } from './request-logs.repository.ts';

const keyA = '0190a000-0000-7000-8000-00000000000a';
const keyB = '0190a000-0000-7000-8000-00000000000b';

/** RequestLogsRepository behaves the same on SQLite and PostgreSQL. */
describeEachDialect('RequestLogsRepository', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const repo = () => new RequestLogsRepository(fixture().database);

  it('round-trips every field, including JSON of any shape', async () => {
    const createdAt = new Date('2026-04-01T12:00:00.007Z');
    await repo().insertMany([
      {
        requestId: 'req-1',
        apiKeyId: keyA,
        promptText: 'Book a table for 2 — ünïcödé ✓',
        requestParams: {
          schema: { type: 'object' },
          list: [1, 'two', null],
          nested: { deep: [{ a: true }] },
        },
        responseData: ['an', 'array', 'at', 'the', 'top'],
        validationStatus: 'repaired',
        providerUsed: 'openai',
        model: 'gpt-x',
        processingTimeMs: 123.6,
        promptTokens: 11,
        completionTokens: 22,
        costUsd: 0.000123,
        confidence: 0.875,
        cached: true,
        errorMessage: null,
        createdAt,
      },
      { requestId: 'req-2', validationStatus: 'valid', responseData: 'just a string', createdAt },
    ]);
    const first = await repo().getByRequestId('req-1');
    expect(first).toMatchObject({
      apiKeyId: keyA,
      promptText: 'Book a table for 2 — ünïcödé ✓',
      promptLength: 'Book a table for 2 — ünïcödé ✓'.length,
      requestParams: {
        schema: { type: 'object' },
        list: [1, 'two', null],
        nested: { deep: [{ a: true }] },
      },
      responseData: ['an', 'array', 'at', 'the', 'top'],
      validationStatus: 'repaired',
      providerUsed: 'openai',
      processingTimeMs: 124,
      tokensUsed: 33,
      costUsd: 0.000123,
      confidence: 0.875,
      cached: true,
      createdAt,
    });
    expect(await repo().getById(first!.id)).toEqual(first);
    const second = await repo().getByRequestId('req-2');
    expect(second).toMatchObject({
      responseData: 'just a string',
      requestParams: null,
      cached: false,
      apiKeyId: null,
    });
  });

  it('skips a request id already stored, so a retried batch neither fails nor duplicates', async () => {
    expect(await repo().insertMany([{ requestId: 'dup', validationStatus: 'valid' }])).toBe(1);
    expect(
      await repo().insertMany([
        { requestId: 'dup', validationStatus: 'valid' },
        { requestId: 'new', validationStatus: 'valid' },
      ]),
    ).toBe(1);
    expect(await repo().count()).toBe(2);
  });

  it('inserts batches larger than one statement can bind', async () => {
    const entries = Array.from({ length: 1234 }, (_, index) => ({
      requestId: `bulk-${index}`,
      validationStatus: 'valid',
      requestParams: { index },
    }));
    expect(await repo().insertMany(entries)).toBe(1234);
    expect(await repo().count()).toBe(1234);
  });

  it('filters by key, provider, status, cached and time range, with pagination', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 3, 1, 12, minute));
    await repo().insertMany([
      {
        requestId: 'a1',
        apiKeyId: keyA,
        providerUsed: 'openai',
        validationStatus: 'valid',
        createdAt: at(1),
      },
      {
        requestId: 'a2',
        apiKeyId: keyA,
        providerUsed: 'heuristic',
        validationStatus: 'invalid',
        createdAt: at(2),
      },
      {
        requestId: 'a3',
        apiKeyId: keyA,
        providerUsed: 'openai',
        validationStatus: 'valid',
        cached: true,
        createdAt: at(3),
      },
      {
        requestId: 'b1',
        apiKeyId: keyB,
        providerUsed: 'openai',
        validationStatus: 'valid',
        createdAt: at(4),
      },
    ]);
    const ids = async (filter: Parameters<RequestLogsRepository['list']>[0]) =>
      (await repo().list(filter)).items.map((log) => log.requestId);
    expect(await ids({ apiKeyId: keyA })).toEqual(['a3', 'a2', 'a1']);
    expect(await ids({ providerUsed: 'openai' })).toEqual(['b1', 'a3', 'a1']);
    expect(await ids({ validationStatus: 'invalid' })).toEqual(['a2']);
    expect(await ids({ cached: true })).toEqual(['a3']);
    expect(await ids({ from: at(2), to: at(4) })).toEqual(['a3', 'a2']);
    expect(await ids({ apiKeyId: 'junk' })).toEqual([]);
    const page1 = await repo().list({}, { limit: 3 });
    const page2 = await repo().list({}, { limit: 3, cursor: page1.nextCursor });
    expect([...page1.items, ...page2.items].map((log) => log.requestId)).toEqual(['b1', 'a3', 'a2', 'a1']);
    expect(page2.nextCursor).toBeNull();
  });
});
