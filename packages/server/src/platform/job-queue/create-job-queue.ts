import type { Config } from '../../config/index.ts';
import type { HealthCheck } from '../health-check.ts';
import type { Database } from '../storage/database.ts';
import { BullmqJobQueue } from './bullmq-job-queue.ts';
import { EmbeddedJobQueue } from './embedded-job-queue.ts';
import type { JobQueue } from './job-queue.ts';
import { RabbitmqJobQueue } from './rabbitmq-job-queue.ts';

/** The queue the config names; BullMQ needs `REDIS_URL` and RabbitMQ `AMQP_URL`. */
export async function createJobQueue(config: Readonly<Config>, database: Database): Promise<JobQueue> {
  const { jobs } = config;
  if (jobs.queue === 'bullmq') {
    if (!config.redis.url) throw new Error('JOB_QUEUE=bullmq needs REDIS_URL');
    return BullmqJobQueue.create({
      redisUrl: config.redis.url,
      prefix: jobs.queuePrefix,
      queue: 'jobs',
      leaseMs: jobs.leaseMs,
    });
  }
  if (jobs.queue === 'rabbitmq') {
    if (!jobs.amqpUrl) throw new Error('JOB_QUEUE=rabbitmq needs AMQP_URL');
    return RabbitmqJobQueue.create({ url: jobs.amqpUrl, prefix: jobs.queuePrefix });
  }
  return new EmbeddedJobQueue(database, {
    queue: jobs.queuePrefix,
    leaseMs: jobs.leaseMs,
    pollIntervalMs: jobs.pollIntervalMs,
  });
}

/** `/v1/health`'s `queue`: required, so readiness fails while the configured queue is unreachable. */
export function createJobQueueHealthCheck(queue: JobQueue): HealthCheck {
  return {
    name: 'queue',
    required: true,
    check: (signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        queue
          .ping()
          .then(() => resolve(), reject)
          .finally(() => signal.removeEventListener('abort', onAbort));
      }),
  };
}
