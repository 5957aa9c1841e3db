import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { RequestLogsRepository } from '../request-log/request-logs.repository.ts';
import { purgeExpired, startRetentionTask } from './retention.ts';

const day = 86_400_000;
const silent = { info() {}, warn() {}, error() {} };

/** Retention deletes the same rows on SQLite and PostgreSQL. */
describeEachDialect('retention', (dialect) => {
  const fixture = useTestDatabase(dialect);

  it('deletes request logs past retention, nothing else', async () => {
    const { database } = fixture();
    const now = new Date('2026-08-31T00:00:00.000Z');
    const logs = new RequestLogsRepository(database);
    const old = Array.from({ length: 25 }, (_, index) => ({
      requestId: `old-${index}`,
      validationStatus: 'valid',
      createdAt: new Date(now.getTime() - 31 * day - index),
    }));
    await logs.insertMany([
      ...old,
      { requestId: 'edge', validationStatus: 'valid', createdAt: new Date(now.getTime() - 30 * day) },
      { requestId: 'fresh', validationStatus: 'valid', createdAt: new Date(now.getTime() - day) },
    ]);
    // Two replicas purging at once, in small chunks: the work is shared, the outcome is the same.
    const results = await Promise.all([
      purgeExpired(database, { retentionDays: 30, chunkSize: 4 }, now),
      purgeExpired(fixture().openAnother(), { retentionDays: 30, chunkSize: 4 }, now),
    ]);
    expect(results[0]!.requestLogs + results[1]!.requestLogs).toBe(25);
    expect(await logs.count()).toBe(2);
    expect(await logs.getByRequestId('edge')).not.toBeNull();
    expect(await purgeExpired(database, { retentionDays: 30 }, now)).toEqual({ requestLogs: 0 });
  });

  it('runs as a task that can be triggered and stopped', async () => {
    const { database } = fixture();
    await new RequestLogsRepository(database).insertMany([
      { requestId: 'ancient', validationStatus: 'valid', createdAt: new Date('2000-01-01T00:00:00Z') },
    ]);
    const task = startRetentionTask(database, { retentionDays: 1, intervalMs: 3_600_000, logger: silent });
    expect(await task.runOnce()).toEqual({ requestLogs: 1 });
    await task.stop();
  });
});
