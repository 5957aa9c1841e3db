import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { AuditLogsRepository } from '../../features/audit-logs/audit-logs.repository.ts';
import { purgeAuditLogsBefore } from './audit-purge.ts';

describeEachDialect('audit_logs is append-only in the database', (dialect) => {
  const fixture = useTestDatabase(dialect);

  async function seed() {
    const repository = new AuditLogsRepository(fixture().database);
    const old = await repository.insert({
      eventType: 'key.created',
      result: 'success',
      timestamp: new Date('2020-01-01T00:00:00Z'),
    });
    const recent = await repository.insert({ eventType: 'key.revoked', result: 'success' });
    return { old, recent };
  }

  const countRows = async () =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from audit_logs`.execute(fixture().database.db)).rows[0]
        ?.n,
    );

  it('refuses a plain SQL DELETE and UPDATE of any row', async () => {
    const { old } = await seed();
    const { db } = fixture().database;
    await expect(sql`delete from audit_logs where id = ${old.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_logs`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`update audit_logs set result = 'failure'`.execute(db)).rejects.toThrow(/append-only/);
    expect(await countRows()).toBe(2);
  });

  it('lets the purge path delete only rows older than its cutoff, and leaves no permit behind', async () => {
    await seed();

    const deleted = await purgeAuditLogsBefore(fixture().database, new Date('2021-01-01T00:00:00Z'), 100);
    expect(deleted).toBe(1);
    expect(await countRows()).toBe(1);
    const permits = await fixture().database.db.selectFrom('audit_purge_permits').selectAll().execute();
    expect(permits).toEqual([]);
    // With the permit gone, a plain delete of what is left is refused again.
    await expect(sql`delete from audit_logs`.execute(fixture().database.db)).rejects.toThrow(/append-only/);
  });
});
