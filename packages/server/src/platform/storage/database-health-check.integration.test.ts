import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { createDatabaseHealthCheck } from './database-health-check.ts';

describeEachDialect('database health check', (dialect) => {
  const fixture = useTestDatabase(dialect);

  it('answers while the database is up and fails once it is gone', async () => {
    const { database } = fixture();
    const check = createDatabaseHealthCheck(database);
    expect(check).toMatchObject({ name: 'database', required: true });
    await expect(check.check(new AbortController().signal)).resolves.toBeUndefined();

    const aborted = new AbortController();
    aborted.abort(new Error('health timeout'));
    await expect(check.check(aborted.signal)).rejects.toThrow('health timeout');

    const closing = fixture().openAnother();
    const closingCheck = createDatabaseHealthCheck(closing);
    await closingCheck.check(new AbortController().signal);
    await closing.close();
    await expect(closingCheck.check(new AbortController().signal)).rejects.toThrow();
  });
});
