import type { GenerateRequest, GenerateResult, TextSink } from './provider.ts';
import type { ProviderFailureKind } from './provider-error.ts';

/** Per-call choices of the caller: the deadline signal and an optional pinned provider/model. */
export interface RouteOptions {
  /** Aborted when the request's overall deadline passes or the client goes away. */
  signal: AbortSignal;
  /** Provider name to use (`auto` or undefined: the router's strategy decides). */
  provider?: string;
  model?: string;
  /** Streams the answer's text from providers that can; told when a retry or fallback starts over. */
  sink?: TextSink;
}

/** One provider call that failed before the answer, as recorded in the response and the log. */
export interface FailedAttempt {
  provider: string;
  model: string;
  kind: ProviderFailureKind;
  message: string;
  /** Tokens billed by a failed call still count towards cost and budget. */
  costUsd: number;
}

/** An answer from whichever provider the router chose, with what it cost. */
export interface RoutedGeneration extends GenerateResult {
  provider: string;
  /** USD for this answer from the price table (0 for free/offline providers). */
  costUsd: number;
  /** Milliseconds spent in provider calls for this generation, retries included. */
  llmMs: number;
  failedAttempts: FailedAttempt[];
}

/**
 * What the analyze pipeline talks to. The router implements it (strategies, retries, fallback,
 * breakers); tests use a scripted implementation. Throws `ProviderError`/`AppError` when every
 * candidate failed.
 */
export interface ProviderGateway {
  generate(request: GenerateRequest, options: RouteOptions): Promise<RoutedGeneration>;
  /** Upper-bound USD estimate of one call, for budget reservation and `max_cost_usd` checks. */
  estimateCostUsd(request: GenerateRequest, options: Pick<RouteOptions, 'provider' | 'model'>): number;
}
