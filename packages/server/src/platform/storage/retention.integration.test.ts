import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { AuditLogsRepository } from '../../features/audit-logs/audit-logs.repository.ts';
import { RequestLogsRepository } from '../request-log/request-logs.repository.ts';
import { type PurgeResult, purgeExpired, startRetentionTask } from './retention.ts';

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

  it('applies every data class in one loop: prompts erased, old audit rows purged, registered rules run', async () => {
    const { database } = fixture();
    const now = new Date('2026-08-31T00:00:00.000Z');
    const logs = new RequestLogsRepository(database);
    await logs.insertMany([
      {
        requestId: 'aged',
        validationStatus: 'passed',
        promptText: 'secret plan',
        responseData: { a: 1 },
        promptTokens: 7,
        createdAt: new Date(now.getTime() - 10 * day),
      },
      {
        requestId: 'young',
        validationStatus: 'passed',
        promptText: 'fresh plan',
        createdAt: new Date(now.getTime() - day),
      },
    ]);
    const audit = new AuditLogsRepository(database);
    await audit.insert({
      eventType: 'key.created',
      result: 'success',
      timestamp: new Date(now.getTime() - 400 * day),
    });
    await audit.insert({
      eventType: 'key.created',
      result: 'success',
      timestamp: new Date(now.getTime() - 5 * day),
    });
    const seen: Date[] = [];
    const rule = {
      dataClass: 'job_results',
      days: 3,
      purge: async (_: unknown, cutoff: Date) => {
        seen.push(cutoff);
        return 0;
      },
    };

    const result = await purgeExpired(
      database,
      { retentionDays: 30, promptDays: 7, auditLogDays: 365, webhookDeliveryDays: 30, rules: [rule] },
      now,
    );
    expect(result).toEqual({ requestLogs: 0, prompts: 1, auditLogs: 1 });
    expect(seen).toEqual([new Date(now.getTime() - 3 * day)]);
    const aged = await logs.getByRequestId('aged');
    expect(aged).toMatchObject({ promptText: null, responseData: null, promptTokens: 7 });
    expect(aged?.erasedAt).toBeInstanceOf(Date);
    expect((await logs.getByRequestId('young'))?.promptText).toBe('fresh plan');
    expect((await audit.list()).items).toHaveLength(1);
  });

  it('reports each run to its observer', async () => {
    const { database } = fixture();
    await new RequestLogsRepository(database).insertMany([
      { requestId: 'ancient', validationStatus: 'valid', createdAt: new Date('2000-01-01T00:00:00Z') },
    ]);
    const runs: PurgeResult[] = [];
    const observer = { purged: (result: PurgeResult) => runs.push(result), failed() {} };
    const task = startRetentionTask(database, {
      retentionDays: 1,
      intervalMs: 3_600_000,
      logger: silent,
      observer,
    });
    await task.runOnce();
    await task.stop();
    expect(runs).toEqual([{ requestLogs: 1 }]);
  });
});
