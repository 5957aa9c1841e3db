import { type PagedList, type PageOptions, pagedList } from '../pagination.ts';
import { sleep } from '../retry.ts';
import type { CallOptions, Transport } from '../transport.ts';
import type { CreateJobRequest, DeadLetter, DeadLetterRetry, Job, JobItemResult } from '../types.ts';
import { type SubmitOptions, submission } from './analyze.ts';

/** Job states after which nothing changes any more. */
export const finishedJobStatuses: readonly Job['status'][] = ['completed', 'failed', 'cancelled', 'expired'];

export interface WaitOptions extends CallOptions {
  /** First wait between polls in milliseconds (doubles up to `maxIntervalMs`). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Called with every job state the polling sees. */
  onProgress?: (job: Job) => void;
}

const encode = encodeURIComponent;

export class Jobs {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** `POST /v1/jobs`: one request or many items, run by the workers; safe to retry (Idempotency-Key). */
  submit(request: CreateJobRequest, options?: SubmitOptions): Promise<Job> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/jobs',
      body: request,
      idempotent: true,
      options: submission(options),
    });
  }

  get(id: string, options?: CallOptions): Promise<Job> {
    return this.#transport.json({ method: 'GET', path: `/v1/jobs/${encode(id)}`, idempotent: true, options });
  }

  /** The key's jobs (every job for an admin key), newest first. */
  list(options?: PageOptions): PagedList<Job> {
    return pagedList(this.#transport, '/v1/jobs', options);
  }

  cancel(id: string, options?: CallOptions): Promise<Job> {
    return this.#transport.json({
      method: 'POST',
      path: `/v1/jobs/${encode(id)}/cancel`,
      idempotent: true,
      options,
    });
  }

  /** The job's item results in submission order, page after page. */
  results(id: string, options?: PageOptions): PagedList<JobItemResult> {
    return pagedList(this.#transport, `/v1/jobs/${encode(id)}/results`, options);
  }

  /**
   * Polls until the job has finished (completed, failed, cancelled or expired) and returns it; the
   * wait between polls grows from `intervalMs` to `maxIntervalMs`. Stop waiting with `signal`.
   */
  async wait(id: string, options: WaitOptions = {}): Promise<Job> {
    const { intervalMs = 500, maxIntervalMs = 5000, onProgress, ...call } = options;
    for (let interval = intervalMs; ; interval = Math.min(interval * 2, maxIntervalMs)) {
      const job = await this.get(id, call);
      onProgress?.(job);
      if (finishedJobStatuses.includes(job.status)) return job;
      await sleep(interval, call.signal);
    }
  }

  /** Admin: items that failed for good. */
  deadLetters(options?: PageOptions): PagedList<DeadLetter> {
    return pagedList(this.#transport, '/v1/jobs/dead-letters', options);
  }

  /** Admin: puts a dead-lettered item back in the queue. */
  retryDeadLetter(id: string, options?: CallOptions): Promise<DeadLetterRetry> {
    return this.#transport.json({
      method: 'POST',
      path: `/v1/jobs/dead-letters/${encode(id)}/retry`,
      idempotent: false,
      options,
    });
  }
}
