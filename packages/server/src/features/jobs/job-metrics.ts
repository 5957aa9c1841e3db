import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type JobQueue, queuePriorities } from '../../platform/job-queue/job-queue.ts';

export type ItemOutcomeLabel = 'succeeded' | 'failed' | 'retried' | 'dead_lettered';

/** What the job worker counts; registered on the app's own metrics registry. */
export class JobMetrics {
  readonly #processed: Counter;
  readonly #failures: Counter;
  readonly #deadLetters: Counter;
  readonly #latency: Histogram;

  constructor(registry: Registry, queue: JobQueue) {
    this.#processed = new Counter({
      name: 'sps_job_items_processed_total',
      help: 'Job items finished by this process, by outcome (succeeded, failed, retried, dead_lettered).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.#failures = new Counter({
      name: 'sps_job_item_failures_total',
      help: 'Failed attempts of job items, by whether the error was retryable.',
      labelNames: ['retryable'],
      registers: [registry],
    });
    this.#deadLetters = new Counter({
      name: 'sps_job_dead_letters_total',
      help: 'Job items that failed every retry and were dead-lettered.',
      registers: [registry],
    });
    this.#latency = new Histogram({
      name: 'sps_job_item_duration_seconds',
      help: 'Time to run one job item attempt through the analyze pipeline.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    new Gauge({
      name: 'sps_job_queue_depth',
      help: 'Job messages waiting per queue (high, default, batch), read from the queue at scrape time.',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        const depth = await withTimeout(queue.depth(), 1000).catch(() => undefined);
        this.reset();
        if (!depth) return;
        for (const priority of queuePriorities) this.set({ queue: priority }, depth[priority]);
      },
    });
  }

  recordItem(outcome: ItemOutcomeLabel, seconds: number): void {
    this.#processed.inc({ outcome });
    this.#latency.observe(seconds);
    if (outcome !== 'succeeded') this.#failures.inc({ retryable: String(outcome !== 'failed') });
    if (outcome === 'dead_lettered') this.#deadLetters.inc();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
