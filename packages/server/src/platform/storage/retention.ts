import type { Database, StorageLogger } from './database.ts';

export interface RetentionOptions {
  /** Request logs older than this many days are deleted (`requestLogs.retentionDays`). */
  retentionDays: number;
  /** Rows per DELETE, so no statement holds locks (or the SQLite write lock) for long. */
  chunkSize?: number;
}

export interface PurgeResult {
  requestLogs: number;
}

/**
 * Deletes request logs past retention. Idempotent and chunked, so several replicas running it at once only share the
 * work: each chunk deletes rows that still exist, and a replica that finds nothing left stops.
 */
export async function purgeExpired(
  database: Database,
  options: RetentionOptions,
  now: Date = new Date(),
): Promise<PurgeResult> {
  const chunkSize = options.chunkSize ?? 5000;
  const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000);
  const { db } = database;

  let requestLogs = 0;
  for (;;) {
    const oldest = db
      .selectFrom('request_logs')
      .select('id')
      .where('created_at', '<', cutoff)
      .limit(chunkSize);
    const result = await db.deleteFrom('request_logs').where('id', 'in', oldest).executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    requestLogs += deleted;
    if (deleted < chunkSize) break;
  }

  return { requestLogs };
}

export interface RetentionTask {
  /** Runs one purge now (also what the timer calls). Never rejects; failures are logged. */
  runOnce(): Promise<PurgeResult | null>;
  stop(): Promise<void>;
}

/** Purges every `intervalMs` (`requestLogs.purgeIntervalMs`), first one interval after start. */
export function startRetentionTask(
  database: Database,
  options: RetentionOptions & { intervalMs: number; logger: StorageLogger },
): RetentionTask {
  let running: Promise<PurgeResult | null> | undefined;
  const runOnce = (): Promise<PurgeResult | null> => {
    running ??= purgeExpired(database, options)
      .then((result) => {
        if (result.requestLogs > 0) options.logger.info({ ...result }, 'retention purge');
        return result;
      })
      .catch((error: unknown) => {
        options.logger.warn(
          { err: { message: (error as Error)?.message } },
          'retention purge failed; will retry',
        );
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
