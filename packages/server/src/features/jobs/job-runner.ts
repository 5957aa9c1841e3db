import type { Logger } from 'pino';
import type { IdempotencyRepository } from '../../platform/idempotency/idempotency.repository.ts';
import type { Consumer, JobQueue } from '../../platform/job-queue/job-queue.ts';
import type { JobItemsRepository } from './job-items.repository.ts';
import type { JobProcessor } from './job-processor.ts';
import type { JobsRepository } from './jobs.repository.ts';

export interface JobRunnerOptions {
  workerId: string;
  queue: JobQueue;
  processor: JobProcessor;
  jobs: JobsRepository;
  items: JobItemsRepository;
  idempotency: IdempotencyRepository;
  logger: Logger;
  concurrency: number;
  leaseMs: number;
  requeueAfterMs: number;
}

/**
 * A worker: consumes the queue with the processor, renews the leases of the items in hand (its
 * heartbeat), queues again work a queue lost (pending items untouched for `requeueAfterMs`, running
 * items whose worker died), and expires old jobs and idempotency records.
 */
export class JobRunner {
  readonly #options: JobRunnerOptions;
  readonly #timers: NodeJS.Timeout[] = [];
  #consumer: Consumer | undefined;

  constructor(options: JobRunnerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { queue, processor, concurrency, leaseMs, requeueAfterMs, logger } = this.#options;
    this.#consumer = await queue.consume(processor.handle, { concurrency });
    const every = (ms: number, task: () => Promise<unknown>, name: string) => {
      const timer = setInterval(() => {
        task().catch((error: unknown) => logger.warn({ err: error, task: name }, 'job maintenance failed'));
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(leaseMs / 3, () => this.#options.items.heartbeat(this.#options.workerId, leaseMs), 'heartbeat');
    every(Math.min(requeueAfterMs, Math.max(1000, leaseMs)), () => this.sweep(), 'sweep');
    every(60_000, () => this.#expire(), 'expire');
    logger.info({ queue: queue.backend, concurrency, worker: this.#options.workerId }, 'job worker started');
  }

  /** Queues again what the queue may have lost; returns how many items. */
  async sweep(): Promise<number> {
    const { items, queue, requeueAfterMs } = this.#options;
    const lost = await items.sweep(new Date(Date.now() - requeueAfterMs));
    for (const priority of ['high', 'default', 'batch'] as const) {
      const refs = lost.filter((entry) => entry.priority === priority).map((entry) => entry.ref);
      if (refs.length > 0) await queue.enqueue(refs, { priority });
    }
    return lost.length;
  }

  async #expire(): Promise<void> {
    const expired = await this.#options.jobs.expire();
    const purged = await this.#options.idempotency.purgeExpired();
    if (expired + purged > 0)
      this.#options.logger.info({ expired, purged }, 'expired jobs and idempotency keys');
  }

  /**
   * Takes no new item, lets the ones in hand finish for up to `timeoutMs`, then gives back what is
   * still running (its lease released, the attempt not counted) so another worker takes it at once.
   */
  async stop(timeoutMs: number): Promise<void> {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    await this.#consumer?.stop(timeoutMs);
    this.#consumer = undefined;
    const released = await this.#options.items.release(this.#options.workerId).catch(() => []);
    if (released.length === 0) return;
    this.#options.logger.info({ released: released.length }, 'released job items still running at shutdown');
  }
}
