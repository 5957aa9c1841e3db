import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { RequestLogsRepository } from '../../platform/request-log/request-logs.repository.ts';
import { ApiKeyUsageRepository } from './api-key-usage.repository.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';

/** ApiKeyUsageRepository sums the same on SQLite and PostgreSQL. */
describeEachDialect('ApiKeyUsageRepository', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const keys = () => new ApiKeysRepository(fixture().database);
  const usageRepository = () => new ApiKeyUsageRepository(fixture().database);

  it('sums requests, cost and tokens for this UTC hour and month from request logs', async () => {
    const key = await keys().create({ keyHash: 'h', keyPrefix: 'sp_h', name: 'k' });
    const other = await keys().create({ keyHash: 'o', keyPrefix: 'sp_o', name: 'o' });
    const now = new Date('2026-03-15T10:30:00.000Z');
    const at = (iso: string) => new Date(iso);
    await new RequestLogsRepository(fixture().database).insertMany([
      {
        requestId: 'r1',
        apiKeyId: key.id,
        validationStatus: 'valid',
        costUsd: 0.25,
        tokensUsed: 10,
        createdAt: at('2026-03-15T10:00:00.000Z'),
      },
      {
        requestId: 'r2',
        apiKeyId: key.id,
        validationStatus: 'valid',
        costUsd: 0.5,
        tokensUsed: 20,
        createdAt: at('2026-03-15T10:29:59.999Z'),
      },
      {
        requestId: 'r3',
        apiKeyId: key.id,
        validationStatus: 'valid',
        costUsd: 1,
        tokensUsed: 30,
        createdAt: at('2026-03-15T09:59:59.999Z'),
      },
      {
        requestId: 'r4',
        apiKeyId: key.id,
        validationStatus: 'valid',
        costUsd: 2,
        tokensUsed: 40,
        createdAt: at('2026-03-01T00:00:00.000Z'),
      },
      {
        requestId: 'r5',
        apiKeyId: key.id,
        validationStatus: 'valid',
        costUsd: 4,
        tokensUsed: 50,
        createdAt: at('2026-02-28T23:59:59.999Z'),
      },
      {
        requestId: 'r6',
        apiKeyId: other.id,
        validationStatus: 'valid',
        costUsd: 8,
        tokensUsed: 60,
        createdAt: at('2026-03-15T10:10:00.000Z'),
      },
    ]);
    const usage = await usageRepository().forKey(key.id, now);
    expect(usage.requestsThisHour).toBe(2);
    expect(usage.costThisHourUsd).toBeCloseTo(0.75, 9);
    expect(usage.requestsThisMonth).toBe(4);
    expect(usage.costThisMonthUsd).toBeCloseTo(3.75, 9);
    expect(usage.tokensThisMonth).toBe(100);
    expect(await usageRepository().forKey('00000000-0000-4000-8000-000000000000', now)).toEqual({
      requestsThisHour: 0,
      costThisHourUsd: 0,
      requestsThisMonth: 0,
      costThisMonthUsd: 0,
      tokensThisMonth: 0,
    });
  });
});
