import type { Migration } from 'kysely';
import type { DialectName } from '../dialect.ts';
import { initialMigration } from './0001-initial.ts';
import { jobsMigration } from './0002-jobs.ts';

/**
 * Every migration, by name; names sort in the order they run. Listed statically (not read from a
 * folder) so the set is the same however the server is packaged. Applied migrations are never edited:
 * add a new file with the next number.
 */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(dialect),
    '0002_jobs': jobsMigration(dialect),
  };
}
