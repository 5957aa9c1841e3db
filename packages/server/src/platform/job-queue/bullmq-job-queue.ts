import type { Job, Queue, Worker } from 'bullmq';
import {
  type ConsumeOptions,
  type Consumer,
  type JobQueue,
  type MessageHandler,
  messageKey,
  priorityRank,
  type QueueMessage,
  type QueuePriority,
  queuePriorities,
} from './job-queue.ts';

export interface BullmqJobQueueOptions {
  redisUrl: string;
  /** Redis key prefix (BullMQ's `prefix`); tests use one of their own. */
  prefix: string;
  /** Queue name. */
  queue: string;
  /** How long a taken job stays with its worker without the worker renewing it. */
  leaseMs: number;
}

type BullModule = typeof import('bullmq');

/** A handler that throws comes back after this backoff (exponential from 1 s), this many times. */
const failureAttempts = 25;

/**
 * BullMQ on Redis: one queue, BullMQ's priorities for high/default/batch, the message key as the job
 * id (a message enqueued again while it waits adds nothing). A retry is the job moved to the delayed
 * set; a worker that died leaves its jobs stalled, and BullMQ hands them out again after the lease.
 */
export class BullmqJobQueue implements JobQueue {
  readonly backend = 'bullmq';
  readonly #options: BullmqJobQueueOptions;
  readonly #bull: BullModule;
  readonly #queue: Queue;

  private constructor(bull: BullModule, options: BullmqJobQueueOptions) {
    this.#bull = bull;
    this.#options = options;
    this.#queue = new bull.Queue(options.queue, {
      connection: connectionOf(options.redisUrl, false),
      prefix: options.prefix,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: true,
        attempts: failureAttempts,
        backoff: { type: 'exponential', delay: 1000 },
      },
    });
    // Connection errors surface through commands and the health check; they must not crash the process.
    this.#queue.on('error', () => {});
  }

  static async create(options: BullmqJobQueueOptions): Promise<BullmqJobQueue> {
    return new BullmqJobQueue(await import('bullmq'), options);
  }

  async enqueue(messages: QueueMessage[], options: { priority: QueuePriority; delayMs?: number }) {
    const chunk = 1000;
    for (let start = 0; start < messages.length; start += chunk) {
      await this.#queue.addBulk(
        messages.slice(start, start + chunk).map((message) => ({
          name: 'item',
          data: { jobId: message.jobId, index: message.index },
          opts: {
            jobId: messageKey(message).replace(':', '.'),
            priority: priorityRank(options.priority),
            delay: options.delayMs,
          },
        })),
      );
    }
  }

  async consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer> {
    const inFlight = new Set<Promise<unknown>>();
    const processor = (job: Job, token?: string) => {
      const run = this.#process(handler, job, token);
      inFlight.add(run);
      void run.catch(() => {}).finally(() => inFlight.delete(run));
      return run;
    };
    const worker: Worker = new this.#bull.Worker(this.#options.queue, processor, {
      connection: connectionOf(this.#options.redisUrl, true),
      prefix: this.#options.prefix,
      concurrency: Math.max(1, options.concurrency),
      lockDuration: this.#options.leaseMs,
      stalledInterval: Math.max(1000, Math.floor(this.#options.leaseMs / 2)),
      maxStalledCount: 10,
    });
    worker.on('error', () => {});
    await worker.waitUntilReady();
    return {
      async stop(timeoutMs) {
        await worker.pause(true).catch(() => {});
        const settled = Promise.allSettled([...inFlight]);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        });
        await Promise.race([settled, late]);
        clearTimeout(timer);
        // Jobs still running now keep their lease until it runs out; then BullMQ hands them out again.
        await worker.close(true).catch(() => {});
      },
    };
  }

  async #process(handler: MessageHandler, job: Job, token: string | undefined): Promise<void> {
    const priority = queuePriorities[(job.opts.priority ?? 2) - 1] ?? 'default';
    const outcome = await handler(job.data as QueueMessage, priority);
    if (outcome.kind === 'done') return;
    await job.moveToDelayed(Date.now() + outcome.delayMs, token);
    throw new this.#bull.DelayedError();
  }

  async depth(): Promise<Record<QueuePriority, number>> {
    const counts = await this.#queue.getCountsPerPriority(queuePriorities.map(priorityRank));
    return {
      high: counts[String(priorityRank('high'))] ?? 0,
      default: counts[String(priorityRank('default'))] ?? 0,
      batch: counts[String(priorityRank('batch'))] ?? 0,
    };
  }

  async ping(): Promise<void> {
    await this.#queue.getWaitingCount();
  }

  async close(): Promise<void> {
    await this.#queue.close();
  }

  /** Removes the queue and every key it has in Redis (tests). */
  async obliterate(): Promise<void> {
    await this.#queue.obliterate({ force: true });
  }
}

function connectionOf(url: string, blocking: boolean) {
  return {
    url,
    // Workers block on Redis; BullMQ needs them to wait for a reconnect rather than fail commands.
    maxRetriesPerRequest: blocking ? null : 1,
    enableOfflineQueue: blocking,
    connectTimeout: 2000,
  };
}
