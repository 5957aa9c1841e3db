import type { AnalyzeRequest } from '@structured-prompt/contracts';
import type { Logger } from 'pino';
import { toAppError } from '../../lib/app-error.ts';
import type { HandlerOutcome, QueueMessage } from '../../platform/job-queue/job-queue.ts';
import type { AnalyzeService } from '../analyze/analyze.service.ts';
import type { ApiKeyRecord, ApiKeysRepository } from '../api-keys/api-keys.repository.ts';
import { keyStatus } from '../api-keys/key-status.ts';
import type { JobItemsRepository } from './job-items.repository.ts';
import type { JobMetrics } from './job-metrics.ts';
import type { ItemError } from './job-types.ts';
import type { JobsRepository } from './jobs.repository.ts';

export interface JobProcessorOptions {
  workerId: string;
  jobs: JobsRepository;
  items: JobItemsRepository;
  apiKeys: Pick<ApiKeysRepository, 'getById'>;
  analyze: Pick<AnalyzeService, 'analyze'>;
  metrics?: JobMetrics;
  logger: Logger;
  leaseMs: number;
  maxRetries: number;
  retryBaseMs: number;
}

/** Codes worth another attempt: the provider or a limit may let the same request through later. */
const retryableCodes = new Set(['rate_limited', 'provider_error', 'provider_timeout', 'service_unavailable']);

/**
 * Runs one queue message: takes the item's lease, runs it through the analyze pipeline as the key that
 * submitted the job (its limits and budget apply), and writes the outcome once — or schedules a retry
 * with exponential backoff, or dead-letters the item after the last retry.
 */
export class JobProcessor {
  readonly #options: JobProcessorOptions;

  constructor(options: JobProcessorOptions) {
    this.#options = options;
  }

  readonly handle = async (message: QueueMessage): Promise<HandlerOutcome> => {
    const { items, jobs, workerId, leaseMs } = this.#options;
    const claim = await items.claim(message, workerId, leaseMs);
    if (claim.kind === 'finished') return { kind: 'done' };
    if (claim.kind === 'busy') return { kind: 'retry', delayMs: claim.retryInMs + 50 };
    await jobs.markProcessing(message.jobId);
    const key = claim.apiKeyId ? await this.#options.apiKeys.getById(claim.apiKeyId) : null;
    const started = performance.now();
    const retryIn =
      key && keyStatus(key, new Date()) === 'active'
        ? await this.#run(message, claim.request, key, claim.attempts, started)
        : await this.#fail(message, keyGone, started);
    if (retryIn !== undefined) return { kind: 'retry', delayMs: retryIn };
    await jobs.finishIfDone(message.jobId);
    return { kind: 'done' };
  };

  /** Returns the retry delay when the item was rescheduled. */
  async #run(
    message: QueueMessage,
    request: AnalyzeRequest,
    key: ApiKeyRecord,
    attempts: number,
    started: number,
  ): Promise<number | undefined> {
    const { items, workerId } = this.#options;
    try {
      const response = await this.#options.analyze.analyze(request, {
        key,
        requestId: `${message.jobId}:${message.index}:${attempts}`,
        ip: 'job-worker',
      });
      await items.complete(message, workerId, {
        status: 'succeeded',
        result: response,
        tokens: response.usage.total_tokens,
        costUsd: response.usage.cost_usd,
        latencyMs: performance.now() - started,
        cached: response.cached,
      });
      this.#options.metrics?.recordItem('succeeded', (performance.now() - started) / 1000);
      return undefined;
    } catch (thrown) {
      const error = itemErrorOf(thrown);
      if (!toAppError(thrown))
        this.#options.logger.error({ err: thrown, job_id: message.jobId }, 'job item failed');
      if (!error.retryable) return this.#fail(message, error, started);
      return this.#retryOrDeadLetter(message, error, attempts, started);
    }
  }

  async #retryOrDeadLetter(message: QueueMessage, error: ItemError, attempts: number, started: number) {
    const { items, workerId, maxRetries, retryBaseMs, metrics } = this.#options;
    const seconds = (performance.now() - started) / 1000;
    if (attempts <= maxRetries) {
      const delayMs = retryBaseMs * 2 ** (attempts - 1);
      await items.reschedule(message, workerId, new Date(Date.now() + delayMs), error);
      metrics?.recordItem('retried', seconds);
      return delayMs;
    }
    await items.deadLetter(message, workerId, this.#failedOutcome(error, started));
    metrics?.recordItem('dead_lettered', seconds);
    return undefined;
  }

  async #fail(message: QueueMessage, error: ItemError, started: number): Promise<undefined> {
    await this.#options.items.complete(message, this.#options.workerId, this.#failedOutcome(error, started));
    this.#options.metrics?.recordItem('failed', (performance.now() - started) / 1000);
    return undefined;
  }

  #failedOutcome(error: ItemError, started: number) {
    return {
      status: 'failed' as const,
      error,
      tokens: 0,
      costUsd: 0,
      latencyMs: performance.now() - started,
      cached: false,
    };
  }
}

const keyGone: ItemError = {
  code: 'unauthorized',
  status: 401,
  detail: 'The API key that submitted the job was revoked or has expired.',
  retryable: false,
};

function itemErrorOf(thrown: unknown): ItemError {
  const error = toAppError(thrown);
  if (!error) {
    return { code: 'internal_error', status: 500, detail: 'An unexpected error occurred.', retryable: true };
  }
  return {
    code: error.code,
    status: error.status,
    detail: error.message,
    retryable: error.isRetryable || retryableCodes.has(error.code),
  };
}
