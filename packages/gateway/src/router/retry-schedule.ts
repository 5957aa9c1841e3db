import { ExponentialBackoff, type GeneratorFn, halfJitterGenerator, type IBackoff } from 'cockatiel';
import type { ProviderError } from '../spec/provider-error.ts';

/** How delays grow from one retry to the next: cockatiel's generators, or a test's own. */
export type BackoffGenerator = GeneratorFn<number>;

export interface RetryLimits {
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

/**
 * The waits between calls to one provider within one request (ADR 0029): cockatiel's exponential
 * backoff from `retryBaseDelayMs` up to `retryMaxDelayMs`, with equal jitter by default so replicas
 * that failed together do not retry together. A vendor's Retry-After is a floor, never shortened.
 */
export class RetrySchedule {
  readonly #limits: RetryLimits;
  readonly #factory: ExponentialBackoff<number>;
  #backoff: IBackoff<unknown> | undefined;

  constructor(limits: RetryLimits, generator: BackoffGenerator = halfJitterGenerator) {
    this.#limits = limits;
    this.#factory = new ExponentialBackoff({
      generator,
      initialDelay: limits.retryBaseDelayMs,
      maxDelay: limits.retryMaxDelayMs,
    });
  }

  /** Wait before retry number `retry` (1 for the first) after `error`; undefined to move on. */
  next(error: ProviderError, retry: number): number | undefined {
    if (!error.isRetryable || retry > this.#limits.maxRetries) return undefined;
    const floor = error.retryAfterMs ?? 0;
    // A vendor asking for a longer pause than we would ever wait: another provider is better.
    if (floor > this.#limits.retryMaxDelayMs) return undefined;
    this.#backoff = this.#backoff ? this.#backoff.next(undefined) : this.#factory.next();
    return Math.max(this.#backoff.duration, floor);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
