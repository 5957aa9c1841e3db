import {
  type AnalyzeResponse,
  type BatchSummary,
  errorCodes,
  type Problem,
  problemType,
} from '@structured-prompt/contracts';
import { AppError, toAppError } from '../../lib/app-error.ts';
import type { CachedAnswer } from '../analyze/answer-generator.ts';
import type { CacheOutcome } from '../cache/response-cache.service.ts';

/** The error an item failed with, as a problem document of its own (`/v1/analyze` would have answered it). */
export function itemProblem(error: unknown, requestId: string, index: number, instance: string): Problem {
  const known =
    toAppError(error) ??
    new AppError('internal_error', 'An unexpected error occurred. Quote the request id when reporting it.');
  const { status, title } = errorCodes[known.code];
  const problem: Problem = {
    ...known.extensions,
    type: problemType(known.code),
    title,
    status,
    detail: known.message,
    code: known.code,
    request_id: requestId,
    instance,
  };
  // Field errors point into the batch body: `/body/prompt` of item 3 is `/body/items/3/prompt`.
  const errors = known.errors?.map((entry) => ({
    ...entry,
    path: entry.path.replace(/^\/body(?=\/|$)/, `/body/items/${index}`),
  }));
  if (errors && errors.length > 0) problem.errors = errors;
  const retryAfter = Number(known.headers['retry-after']);
  if (Number.isInteger(retryAfter) && retryAfter >= 0) problem.retry_after_seconds = retryAfter;
  return problem;
}

/** The batch summary, counted item by item as the results are put together. */
export class SummaryTally {
  readonly #summary: BatchSummary;

  constructor(total: number) {
    this.#summary = {
      total,
      succeeded: 0,
      failed: 0,
      cached: 0,
      deduplicated: 0,
      provider_calls: 0,
      tokens: 0,
      cost_usd: 0,
      elapsed_ms: 0,
    };
  }

  /** An item answered; `duplicate` when an earlier identical item of the batch holds the real work. */
  answered(response: AnalyzeResponse, outcome: CacheOutcome<CachedAnswer>, duplicate: boolean): void {
    this.#summary.succeeded += 1;
    if (duplicate) {
      this.#summary.deduplicated += 1;
      return;
    }
    if (response.cached) this.#summary.cached += 1;
    // A request in flight elsewhere made the calls (and is billed for them).
    if (outcome.cached || outcome.coalesced) return;
    this.#summary.provider_calls += outcome.value.validation.attempts + outcome.value.failedAttempts.length;
    this.#spent(response.usage);
  }

  /** An item refused or failed; what a failed generation spent counts once, for the first of identical items. */
  failed(error: unknown, duplicate: boolean): void {
    this.#summary.failed += 1;
    if (duplicate) {
      this.#summary.deduplicated += 1;
      return;
    }
    const known = toAppError(error);
    if (!known) return;
    const {
      attempts,
      failed_attempts: failed,
      usage,
    } = known.extensions as {
      attempts?: number;
      failed_attempts?: unknown[];
      usage?: { total_tokens: number; cost_usd: number };
    };
    // A 422 names its failed provider calls in the logs only.
    const failedCalls = failed ?? (known.context.failedAttempts as unknown[] | undefined) ?? [];
    this.#summary.provider_calls += (attempts ?? 0) + failedCalls.length;
    if (usage) this.#spent(usage);
  }

  finish(elapsedMs: number): BatchSummary {
    const cost = Math.round(this.#summary.cost_usd * 1e9) / 1e9;
    return { ...this.#summary, cost_usd: cost, elapsed_ms: Math.round(elapsedMs * 100) / 100 };
  }

  #spent(usage: { total_tokens: number; cost_usd: number }): void {
    this.#summary.tokens += usage.total_tokens;
    this.#summary.cost_usd += usage.cost_usd;
  }
}
