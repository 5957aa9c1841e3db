import type { DataLifecycle, ErasureScope } from '../../platform/storage/data-lifecycle.ts';
import type { Database } from '../../platform/storage/database.ts';
import { toJsonText } from '../../platform/storage/dialect.ts';

const finished = ['succeeded', 'failed', 'cancelled'];
const erased = toJsonText({ erased: true });

/**
 * Job results as a data class of their own: a deletion request for a key or a time range erases the
 * prompts and answers of the finished items of that key's jobs (their tokens and cost stay, for
 * billing), and the retention task deletes the items of jobs that ended more than `days` ago.
 */
export function registerJobData(lifecycle: DataLifecycle, database: Database, days: number): void {
  lifecycle.registerErasure({ dataClass: 'job_results', erase: (scope) => eraseJobResults(database, scope) });
  lifecycle.registerRetention({
    dataClass: 'job_results',
    days,
    purge: async (db, cutoff, limit) => {
      const ended = db.db.selectFrom('jobs').select('id').where('completed_at', '<', cutoff).limit(limit);
      const result = await db.db.deleteFrom('job_items').where('job_id', 'in', ended).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  });
}

/** Request ids name analyze requests, not job items: only a key or a time range reaches job results. */
async function eraseJobResults(database: Database, scope: ErasureScope): Promise<number> {
  if (scope.apiKeyId === undefined && scope.from === undefined && scope.to === undefined) return 0;
  let jobs = database.db.selectFrom('jobs').select('id');
  if (scope.apiKeyId !== undefined) jobs = jobs.where('api_key_id', '=', scope.apiKeyId);
  if (scope.from !== undefined) jobs = jobs.where('created_at', '>=', scope.from);
  if (scope.to !== undefined) jobs = jobs.where('created_at', '<', scope.to);
  const result = await database.db
    .updateTable('job_items')
    .set({ request: erased, result: null })
    .where('job_id', 'in', jobs)
    .where('status', 'in', finished)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
