import { sql } from 'kysely';
import type { HealthCheck } from '../health-check.ts';
import type { Database } from './database.ts';

/**
 * `/v1/health`'s database probe: `select 1`, the cheapest round trip that proves a pooled connection
 * (or the SQLite file) answers. The health service owns the timeout and aborts through `signal`;
 * Kysely cannot cancel a query, so the abort settles the check while the query finishes on its own
 * (bounded by the pool's connect and statement timeouts).
 */
export function createDatabaseHealthCheck(database: Database): HealthCheck {
  return {
    name: 'database',
    required: true,
    check(signal: AbortSignal): Promise<void> {
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        sql`select 1`
          .execute(database.db)
          .then(() => resolve(), reject)
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}
