import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/test-databases.ts';
import { AuditLogsRepository } from '../../features/audit-logs/audit-logs.repository.ts';
import { RequestLogsRepository } from './request-logs.repository.ts';

const keyA = '0190a000-0000-7000-8000-00000000000a';
const keyB = '0190a000-0000-7000-8000-00000000000b';

export function logsConformance(fixture: () => TestDatabase): void {
  describe('request logs', () => {
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

  describe('audit logs', () => {
    const repo = () => new AuditLogsRepository(fixture().database);

    it('appends entries and offers no way to change or remove them', async () => {
      const entry = await repo().insert({
        eventType: 'auth.failed',
        result: 'denied',
        actorKeyId: 'not-a-key-id',
        ip: '203.0.113.9',
        resource: 'api_key',
        details: { reason: 'unknown key', prefix: 'sp_12' },
        requestId: 'req-9',
      });
      expect(entry).toMatchObject({
        eventType: 'auth.failed',
        actorKeyId: null,
        details: { reason: 'unknown key' },
      });
      const methods = Object.getOwnPropertyNames(AuditLogsRepository.prototype);
      expect(methods.filter((name) => /update|delete|remove|purge/i.test(name))).toEqual([]);
    });

    it('filters by event type, actor and time range, with pagination', async () => {
      const at = (second: number) => new Date(Date.UTC(2026, 5, 1, 0, 0, second));
      for (let second = 0; second < 6; second++) {
        await repo().insert({
          eventType: second % 2 === 0 ? 'key.created' : 'input.suspicious',
          result: 'success',
          actorKeyId: second < 3 ? keyA : keyB,
          timestamp: at(second),
        });
      }
      const seconds = (items: { timestamp: Date }[]) => items.map((item) => item.timestamp.getUTCSeconds());
      expect(seconds((await repo().list({ eventType: 'key.created' })).items)).toEqual([4, 2, 0]);
      expect(seconds((await repo().list({ actorKeyId: keyB })).items)).toEqual([5, 4, 3]);
      expect(seconds((await repo().list({ from: at(1), to: at(3) })).items)).toEqual([2, 1]);
      const first = await repo().list({}, { limit: 4 });
      const rest = await repo().list({}, { limit: 4, cursor: first.nextCursor });
      expect([...seconds(first.items), ...seconds(rest.items)]).toEqual([5, 4, 3, 2, 1, 0]);
    });
  });
}
