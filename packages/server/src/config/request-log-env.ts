import type { EnvSetting } from './env-mapping.ts';

/** Request-log settings: retention, batching and the journal that keeps entries across crashes. */
export const requestLogEnvSettings: readonly EnvSetting[] = [
  {
    env: 'LOG_RETENTION_DAYS',
    path: 'requestLogs.retentionDays',
    description: 'Request logs older than this are purged',
  },
  { env: 'LOG_BATCH_SIZE', path: 'requestLogs.batchSize', description: 'Request-log rows written per batch' },
  {
    env: 'LOG_FLUSH_INTERVAL_MS',
    path: 'requestLogs.flushIntervalMs',
    description: 'Longest wait before a partial batch is written',
  },
  {
    env: 'LOG_BUFFER_LIMIT',
    path: 'requestLogs.bufferLimit',
    description: 'Entries kept while the database is unavailable; beyond it they are dropped and counted',
  },
  {
    env: 'LOG_WRITER_THREAD',
    path: 'requestLogs.writerThread',
    description: 'With a SQLite file, write request logs from a worker thread, off the event loop',
  },
  {
    env: 'LOG_JOURNAL',
    path: 'requestLogs.journal',
    description: 'Append each request log to a local journal before answering, replayed at start',
  },
  {
    env: 'LOG_JOURNAL_DIR',
    path: 'requestLogs.journalDir',
    description:
      'Journal directory, one per replica (default: `request-log-journal` beside the SQLite file, or `./data/request-log-journal`)',
  },
  {
    env: 'LOG_JOURNAL_FSYNC',
    path: 'requestLogs.journalFsync',
    description:
      '`always` (before each answer), `batch` (with each database batch) or `off` (left to the OS)',
  },
  { env: 'LOG_STORE_PROMPTS', path: 'requestLogs.storePrompts', description: 'Store prompts and answers' },
  {
    env: 'RETENTION_PROMPT_DAYS',
    path: 'retention.promptDays',
    description: 'Days until prompts are erased',
  },
  {
    env: 'RETENTION_AUDIT_LOG_DAYS',
    path: 'retention.auditLogDays',
    description: 'Days audit entries are kept',
  },
  {
    env: 'RETENTION_JOB_RESULT_DAYS',
    path: 'retention.jobResultDays',
    description: 'Days job results are kept',
  },
  {
    env: 'RETENTION_WEBHOOK_DELIVERY_DAYS',
    path: 'retention.webhookDeliveryDays',
    description: 'Days webhook delivery records are kept',
  },
];
