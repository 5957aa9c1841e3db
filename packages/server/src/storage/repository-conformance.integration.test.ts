import { afterAll, beforeAll, beforeEach } from 'vitest';
import { apiKeysConformance } from './conformance/api-keys.conformance.ts';
import { jobsConformance } from './conformance/jobs.conformance.ts';
import { logsConformance } from './conformance/logs.conformance.ts';
import { maintenanceConformance } from './conformance/maintenance.conformance.ts';
import { registryConformance } from './conformance/registry.conformance.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './testing/test-databases.ts';

/**
 * The one conformance suite: every repository behaves identically on SQLite and PostgreSQL. Each
 * dialect gets a fresh database (temp file / own schema), emptied before every test.
 */
describeEachDialect('repository conformance', (dialect) => {
  let fixture: TestDatabase | undefined;
  beforeAll(async () => {
    fixture = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await fixture?.destroy();
  });
  beforeEach(async () => {
    await fixture!.truncate();
  });
  const current = () => fixture!;

  apiKeysConformance(current);
  logsConformance(current);
  registryConformance(current);
  jobsConformance(current);
  maintenanceConformance(current);
});
