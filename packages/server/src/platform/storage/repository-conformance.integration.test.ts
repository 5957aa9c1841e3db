import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../../../test/support/test-databases.ts';
import { apiKeysConformance } from '../../features/api-keys/api-keys.repository.conformance.ts';
import { logsConformance } from '../request-log/logs.conformance.ts';
import { maintenanceConformance } from './maintenance.conformance.ts';

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
  maintenanceConformance(current);
});
