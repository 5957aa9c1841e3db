import { type AnalyzeResponse, toProviderFailure } from '@structured-prompt/contracts';
import type { CacheOutcome } from '../cache/response-cache.service.ts';
import type { CachedAnswer } from './answer-generator.ts';
import { type RequestLimits, requestWarnings } from './request-warnings.ts';

export interface ResponseParts {
  requestId: string;
  outcome: CacheOutcome<CachedAnswer>;
  /** Warnings from screening and preprocessing, listed before the answer's own. */
  warnings: readonly string[];
  /** This request's own limits, which its answer is measured against (a cached answer was not). */
  limits: RequestLimits;
  totalMs: number;
}

/**
 * The response envelope of one answer. A cache hit, or a wait on an identical request in flight, cost
 * this request nothing: its usage and model time are zero, and a hit reports no attempts.
 */
export function shapeResponse({
  requestId,
  outcome,
  warnings,
  limits,
  totalMs,
}: ResponseParts): AnalyzeResponse {
  const answer = outcome.value;
  const free = outcome.cached || outcome.coalesced;
  const billed = free ? { promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 } : answer.usage;
  return {
    request_id: requestId,
    data: answer.data,
    validation: {
      status: answer.validation.status,
      errors: answer.validation.errors,
      attempts: outcome.cached ? 0 : answer.validation.attempts,
    },
    confidence: answer.confidence,
    language: answer.language,
    provider: answer.provider,
    model: answer.model,
    cached: outcome.cached,
    coalesced: outcome.coalesced,
    failed_attempts: outcome.cached ? [] : answer.failedAttempts.map(toProviderFailure),
    usage: {
      prompt_tokens: billed.promptTokens,
      completion_tokens: billed.completionTokens,
      total_tokens: billed.totalTokens,
      cost_usd: billed.costUsd,
    },
    timing: { total_ms: totalMs, llm_ms: free ? 0 : roundMs(answer.llmMs) },
    warnings: [
      ...warnings,
      ...answer.warnings,
      ...requestWarnings({ confidence: answer.confidence, costUsd: billed.costUsd }, limits),
    ],
  };
}

/** Milliseconds to two decimals. */
export function roundMs(value: number): number {
  return Math.round(value * 100) / 100;
}
