import type { Kysely, Migration } from 'kysely';
import { columnTypes, type DialectName } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
type AnyDb = Kysely<any>;

/** A job's own webhook: the callback endpoint its `webhook_url` was registered as. */
export function jobWebhooksMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('jobs').addColumn('webhook_endpoint_id', t.uuid).execute();
    },
    async down(db: AnyDb) {
      await db.schema.alterTable('jobs').dropColumn('webhook_endpoint_id').execute();
    },
  };
}
