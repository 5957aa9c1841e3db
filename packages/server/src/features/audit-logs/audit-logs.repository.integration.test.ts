import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { AuditLogsRepository } from './audit-logs.repository.ts';

const keyA = '0190a000-0000-7000-8000-00000000000a';
const keyB = '0190a000-0000-7000-8000-00000000000b';

/** AuditLogsRepository behaves the same on SQLite and PostgreSQL. */
describeEachDialect('AuditLogsRepository', (dialect) => {
  const fixture = useTestDatabase(dialect);
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
