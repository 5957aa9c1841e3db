import type { AnalyzeRequest, CreateJobRequest, Job } from '@structured-prompt/contracts';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../../config/index.ts';
import type { AuthContext } from '../../http/plugins/auth.ts';
import { AppError } from '../../lib/app-error.ts';
import type { JobQueue, QueuePriority } from '../../platform/job-queue/job-queue.ts';
import type { Page, PageRequest } from '../../platform/storage/pagination.ts';
import type { DeadLettersRepository } from './dead-letters.repository.ts';
import type { JobItemsRepository } from './job-items.repository.ts';
import type { DeadLetterRecord, JobItemRecord, JobRecord } from './job-types.ts';
import type { JobsRepository } from './jobs.repository.ts';
import { toJob } from './jobs-response.ts';

export interface JobsServiceOptions {
  jobs: JobsRepository;
  items: JobItemsRepository;
  deadLetters: DeadLettersRepository;
  queue: JobQueue;
  config: Readonly<Config['jobs']>;
  logger: Logger;
}

/** Submitting, reading and cancelling jobs, and the admin's dead-letter list. */
export class JobsService {
  readonly #options: JobsServiceOptions;

  constructor(options: JobsServiceOptions) {
    this.#options = options;
  }

  /** Stores the job with every item, then queues the items; what the queue misses, the sweep queues. */
  async submit(body: CreateJobRequest, auth: AuthContext): Promise<Job> {
    const items = itemsOf(body, this.#options.config.maxItems);
    const priority: QueuePriority = body.priority ?? 'default';
    const now = new Date();
    const job = await this.#options.jobs.create(
      {
        id: uuidv7({ msecs: now.getTime() }),
        apiKeyId: auth.key.id,
        jobType: body.request ? 'single' : 'batch',
        priority,
        items,
        expiresAt: new Date(now.getTime() + this.#options.config.resultTtlHours * 3_600_000),
        webhookUrl: body.webhook_url,
      },
      now,
    );
    const messages = items.map((_, index) => ({ jobId: job.id, index }));
    await this.#options.queue.enqueue(messages, { priority }).catch((error: unknown) => {
      this.#options.logger.warn(
        { err: error, job_id: job.id },
        'could not queue the job now; its items are queued again once the queue answers',
      );
    });
    const described = await this.describe(job);
    return job.webhookSecret === undefined ? described : { ...described, webhook_secret: job.webhookSecret };
  }

  async get(id: string, auth: AuthContext): Promise<Job> {
    return this.describe(await this.#visible(id, auth));
  }

  async list(auth: AuthContext, page: PageRequest): Promise<{ items: Job[]; next_cursor: string | null }> {
    const result = await this.#options.jobs.list(auth.isAdmin ? undefined : auth.key.id, page);
    return {
      items: await Promise.all(result.items.map((job) => this.describe(job))),
      next_cursor: result.nextCursor,
    };
  }

  async results(id: string, auth: AuthContext, afterIndex: number, limit: number) {
    const job = await this.#visible(id, auth);
    const items: JobItemRecord[] = await this.#options.items.page(job.id, afterIndex, limit);
    const last = items.at(-1);
    const more = last !== undefined && items.length === limit && last.index < job.totalItems - 1;
    return { job, items, nextCursor: more ? String(last.index) : null };
  }

  /** Pending items stop at once; running ones at their next safe point. A finished job is a 409. */
  async cancel(id: string, auth: AuthContext): Promise<Job> {
    const job = await this.#visible(id, auth);
    if (!(await this.#options.jobs.cancel(job.id))) {
      throw new AppError('conflict', `The job is already ${(await this.#options.jobs.get(job.id))?.status}.`);
    }
    return this.describe((await this.#options.jobs.get(job.id))!);
  }

  listDeadLetters(page: PageRequest): Promise<Page<DeadLetterRecord>> {
    return this.#options.deadLetters.list(page);
  }

  /** Drives a dead-lettered item again with fresh retries. */
  async retryDeadLetter(id: string): Promise<DeadLetterRecord> {
    const record = await this.#options.deadLetters.get(id);
    if (!record) throw new AppError('not_found', 'No dead letter with that id.');
    if (!(await this.#options.deadLetters.redrive(id))) {
      throw new AppError('conflict', 'The dead letter was already retried, or its job has expired.');
    }
    const job = await this.#options.jobs.get(record.jobId);
    await this.#options.queue
      .enqueue([{ jobId: record.jobId, index: record.index }], { priority: job?.priority ?? 'default' })
      .catch((error: unknown) =>
        this.#options.logger.warn({ err: error }, 'could not queue a retried item now'),
      );
    return record;
  }

  async describe(job: JobRecord): Promise<Job> {
    return toJob(job, await this.#options.jobs.progress(job.id));
  }

  /** The job when the key owns it or is an admin's; any other key gets the same 404 as an unknown id. */
  async #visible(id: string, auth: AuthContext): Promise<JobRecord> {
    const job = await this.#options.jobs.get(id);
    if (!job || (job.apiKeyId !== auth.key.id && !auth.isAdmin)) {
      throw new AppError('not_found', 'No job with that id.');
    }
    return job;
  }
}

function itemsOf(body: CreateJobRequest, maxItems: number): AnalyzeRequest[] {
  if ((body.request === undefined) === (body.items === undefined)) {
    throw new AppError('validation_error', 'Send exactly one of `request` or `items`.', {
      errors: [{ path: '/body', message: 'must have exactly one of request, items', keyword: 'oneOf' }],
    });
  }
  const items = body.items ?? [body.request!];
  if (items.length > maxItems) {
    throw new AppError('validation_error', `A job holds at most ${maxItems} items.`, {
      errors: [
        { path: '/body/items', message: `must NOT have more than ${maxItems} items`, keyword: 'maxItems' },
      ],
    });
  }
  return items;
}
