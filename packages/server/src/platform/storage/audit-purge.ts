import { v7 as uuidv7 } from 'uuid';
import type { Database } from './database.ts';

/**
 * The one way audit rows are deleted: the database refuses UPDATE and DELETE on `audit_logs` (triggers
 * of migration 0005) unless a purge permit covering the row exists. The permit is written, used and
 * removed inside one transaction, so no other connection ever sees it, and it only covers rows older
 * than `before`. Returns how many rows were deleted (at most `limit`).
 */
export async function purgeAuditLogsBefore(database: Database, before: Date, limit: number): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const id = uuidv7();
    await trx.insertInto('audit_purge_permits').values({ id, purge_before: before }).execute();
    const oldest = trx.selectFrom('audit_logs').select('id').where('timestamp', '<', before).limit(limit);
    const result = await trx.deleteFrom('audit_logs').where('id', 'in', oldest).executeTakeFirst();
    await trx.deleteFrom('audit_purge_permits').where('id', '=', id).execute();
    return Number(result.numDeletedRows);
  });
}
