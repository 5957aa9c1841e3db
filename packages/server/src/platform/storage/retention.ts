import { purgeAuditLogsBefore } from './audit-purge.ts';
import type { Database, StorageLogger } from './database.ts';

/**
 * One data class with a retention period: how to remove (or, for prompts, blank) what is older than a
 * cutoff, at most `limit` rows per call. Features with their own tables (job results) add rules of
 * their own through `RetentionOptions.rules`, so every class runs in the same loop.
 */
export interface RetentionRule {
  /** The metric label and the key in the purge result, e.g. `job_results`. */
  dataClass: string;
  days: number;
  purge(database: Database, cutoff: Date, limit: number): Promise<number>;
}

export interface RetentionOptions {
  /** Request logs older than this many days are deleted (`requestLogs.retentionDays`). */
  retentionDays: number;
  /** Prompts and answers inside request logs are erased after this many days; the rows stay. */
  promptDays?: number;
  /** Audit rows older than this are deleted through the purge permit (ADR 0061). */
  auditLogDays?: number;
  /** Webhook delivery records older than this are deleted. */
  webhookDeliveryDays?: number;
  /** Rules registered by features (job results, …). */
  rules?: readonly RetentionRule[];
  /** Rows per statement, so no statement holds locks (or the SQLite write lock) for long. */
  chunkSize?: number;
}

/** Rows removed (or erased) per data class; `requestLogs` is always present. */
export type PurgeResult = { requestLogs: number } & Record<string, number>;

const requestLogsRule = (days: number): RetentionRule => ({
  dataClass: 'request_logs',
  days,
  async purge({ db }, cutoff, limit) {
    const oldest = db.selectFrom('request_logs').select('id').where('created_at', '<', cutoff).limit(limit);
    const result = await db.deleteFrom('request_logs').where('id', 'in', oldest).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});

const promptsRule = (days: number): RetentionRule => ({
  dataClass: 'prompts',
  days,
  async purge({ db }, cutoff, limit) {
    const oldest = db
      .selectFrom('request_logs')
      .select('id')
      .where('created_at', '<', cutoff)
      .where('erased_at', 'is', null)
      .where((eb) => eb.or([eb('prompt_text', 'is not', null), eb('response_data', 'is not', null)]))
      .limit(limit);
    const result = await db
      .updateTable('request_logs')
      .set({ prompt_text: null, response_data: null, attempts: null, erased_at: new Date() })
      .where('id', 'in', oldest)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
});

const auditLogsRule = (days: number): RetentionRule => ({
  dataClass: 'audit_logs',
  days,
  purge: (database, cutoff, limit) => purgeAuditLogsBefore(database, cutoff, limit),
});

const webhookDeliveriesRule = (days: number): RetentionRule => ({
  dataClass: 'webhook_deliveries',
  days,
  async purge({ db }, cutoff, limit) {
    const oldest = db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('created_at', '<', cutoff)
      .limit(limit);
    const result = await db.deleteFrom('webhook_deliveries').where('id', 'in', oldest).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});

/** Every configured rule: prompts first (their rows may outlive them), then whole rows. */
function retentionRules(options: RetentionOptions): RetentionRule[] {
  const rules: RetentionRule[] = [];
  if (options.promptDays !== undefined) rules.push(promptsRule(options.promptDays));
  rules.push(requestLogsRule(options.retentionDays));
  if (options.auditLogDays !== undefined) rules.push(auditLogsRule(options.auditLogDays));
  if (options.webhookDeliveryDays !== undefined)
    rules.push(webhookDeliveriesRule(options.webhookDeliveryDays));
  return [...rules, ...(options.rules ?? [])];
}

const camel = (dataClass: string) =>
  dataClass.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Applies every retention rule. Idempotent and chunked, so several replicas running it at once only
 * share the work: each chunk touches rows that still qualify, and a replica that finds none moves on.
 */
export async function purgeExpired(
  database: Database,
  options: RetentionOptions,
  now: Date = new Date(),
): Promise<PurgeResult> {
  const chunkSize = options.chunkSize ?? 5000;
  const result: PurgeResult = { requestLogs: 0 };
  for (const rule of retentionRules(options)) {
    const cutoff = new Date(now.getTime() - rule.days * 86_400_000);
    let total = 0;
    for (;;) {
      const done = await rule.purge(database, cutoff, chunkSize);
      total += done;
      if (done < chunkSize) break;
    }
    if (total > 0 || rule.dataClass === 'request_logs') result[camel(rule.dataClass)] = total;
  }
  return result;
}

export interface RetentionTask {
  /** Runs one purge now (also what the timer calls). Never rejects; failures are logged. */
  runOnce(): Promise<PurgeResult | null>;
  stop(): Promise<void>;
}

export interface RetentionObserver {
  purged(result: PurgeResult): void;
  failed(): void;
}

/** Purges every `intervalMs` (`requestLogs.purgeIntervalMs`), first one interval after start. */
export function startRetentionTask(
  database: Database,
  options: RetentionOptions & { intervalMs: number; logger: StorageLogger; observer?: RetentionObserver },
): RetentionTask {
  let running: Promise<PurgeResult | null> | undefined;
  const runOnce = (): Promise<PurgeResult | null> => {
    running ??= purgeExpired(database, options)
      .then((result) => {
        if (Object.values(result).some((count) => count > 0))
          options.logger.info({ ...result }, 'retention purge');
        options.observer?.purged(result);
        return result;
      })
      .catch((error: unknown) => {
        options.logger.warn(
          { err: { message: (error as Error)?.message } },
          'retention purge failed; will retry',
        );
        options.observer?.failed();
        return null;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
