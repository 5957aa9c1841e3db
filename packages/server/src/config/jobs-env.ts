import type { EnvSetting } from './env-mapping.ts';

/** The async jobs' settings (queue backend, worker, retries, retention), listed with the others. */
export const jobsEnvSettings: readonly EnvSetting[] = [
  {
    env: 'JOB_QUEUE',
    path: 'jobs.queue',
    description:
      'Job queue: `embedded` (the database), `bullmq` (needs REDIS_URL) or `rabbitmq` (needs AMQP_URL)',
  },
  { env: 'AMQP_URL', path: 'jobs.amqpUrl', description: 'RabbitMQ for `JOB_QUEUE=rabbitmq`', secret: true },
  {
    env: 'JOB_QUEUE_PREFIX',
    path: 'jobs.queuePrefix',
    description: 'Prefix of the queue names (BullMQ keys, RabbitMQ exchanges and queues, embedded queue)',
  },
  {
    env: 'JOB_WORKER_IN_PROCESS',
    path: 'jobs.workerInProcess',
    description: 'Run job items in the API process (unset: yes with the embedded queue, no otherwise)',
  },
  {
    env: 'JOB_WORKER_CONCURRENCY',
    path: 'jobs.concurrency',
    description: 'Job items one worker process runs at once',
  },
  { env: 'JOB_MAX_ITEMS', path: 'jobs.maxItems', description: 'Most items in one job (at most 10000)' },
  {
    env: 'JOB_BODY_LIMIT_BYTES',
    path: 'jobs.bodyLimitBytes',
    description: 'Largest accepted body of POST /v1/jobs',
  },
  {
    env: 'JOB_RESULT_TTL_HOURS',
    path: 'jobs.resultTtlHours',
    description: 'How long a job and its results are kept; `expired` afterwards',
  },
  {
    env: 'JOB_MAX_RETRIES',
    path: 'jobs.maxRetries',
    description: 'Retries of an item after a retryable failure (at most 3), then a dead letter',
  },
  {
    env: 'JOB_RETRY_BASE_MS',
    path: 'jobs.retryBaseMs',
    description: 'First retry delay of an item; doubled for each further retry',
  },
  {
    env: 'JOB_LEASE_MS',
    path: 'jobs.leaseMs',
    description: 'How long a worker holds an item without a heartbeat before another may take it',
  },
  {
    env: 'JOB_POLL_INTERVAL_MS',
    path: 'jobs.pollIntervalMs',
    description: 'How often an idle embedded worker looks for due items',
  },
  {
    env: 'JOB_REQUEUE_AFTER_MS',
    path: 'jobs.requeueAfterMs',
    description: 'A pending item untouched this long is queued again (work a queue outage lost)',
  },
  {
    env: 'IDEMPOTENCY_TTL_HOURS',
    path: 'jobs.idempotencyTtlHours',
    description: 'How long an Idempotency-Key answer is replayed',
  },
];
