import type { Migration } from 'kysely';
import type { DialectName } from '../dialect.ts';
import { initialMigration } from './0001-initial.ts';
import { jobsMigration } from './0002-jobs.ts';
import { schemaRegistryMigration } from './0003-schema-registry.ts';
import { promptTemplatesMigration } from './0004-prompt-templates.ts';
import { historyUsageMigration } from './0005-history-usage.ts';
import { webhooksMigration } from './0006-webhooks.ts';
import { jobWebhooksMigration } from './0007-job-webhooks.ts';

/**
 * Every migration, by name; names sort in the order they run. Listed statically (not read from a
 * folder) so the set is the same however the server is packaged. Applied migrations are never edited:
 * add a new file with the next number.
 */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(dialect),
    '0002_jobs': jobsMigration(dialect),
    '0003_schema_registry': schemaRegistryMigration(dialect),
    '0004_prompt_templates': promptTemplatesMigration(dialect),
    '0005_history_usage': historyUsageMigration(dialect),
    '0006_webhooks': webhooksMigration(dialect),
    '0007_job_webhooks': jobWebhooksMigration(dialect),
  };
}
