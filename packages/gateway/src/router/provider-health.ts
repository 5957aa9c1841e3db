/** Settings of the health tracker, from the router config section. */
export interface HealthOptions {
  windowMs: number;
  errorRateThreshold: number;
  minRequests: number;
  disableMs: number;
  now: () => number;
}

interface Outcome {
  at: number;
  ok: boolean;
  latencyMs: number;
}

/** Samples kept for the latency estimate; older ones weigh little anyway. */
const maxSamples = 200;
/** A sample's weight halves every this many newer samples. */
const halfLifeSamples = 20;

/**
 * Error rate and latency of one provider over a sliding window. A provider whose error rate over
 * the window exceeds the threshold (with at least `minRequests` outcomes, so one early failure
 * does not disable it) is disabled for `disableMs`, then starts again with a clean window.
 */
export class ProviderHealth {
  readonly #options: HealthOptions;
  #outcomes: Outcome[] = [];
  #disabledUntil = 0;

  constructor(options: HealthOptions) {
    this.#options = options;
  }

  record(ok: boolean, latencyMs: number): void {
    const now = this.#options.now();
    this.#outcomes.push({ at: now, ok, latencyMs });
    if (this.#outcomes.length > maxSamples) this.#outcomes.shift();
    this.#prune(now);
    // Only a failure can push the error rate over the threshold: successes skip the count.
    if (ok) return;
    const { errorRate, requests } = this.stats();
    if (requests >= this.#options.minRequests && errorRate > this.#options.errorRateThreshold) {
      this.#disabledUntil = now + this.#options.disableMs;
    }
  }

  /** Whether the provider is disabled now; re-enables (with a fresh window) once the cooldown passed. */
  isDisabled(): boolean {
    if (this.#disabledUntil === 0) return false;
    if (this.#options.now() < this.#disabledUntil) return true;
    this.#disabledUntil = 0;
    this.#outcomes = [];
    return false;
  }

  disabledUntil(): number | undefined {
    return this.isDisabled() ? this.#disabledUntil : undefined;
  }

  stats(): { requests: number; errorRate: number } {
    this.#prune(this.#options.now());
    const requests = this.#outcomes.length;
    const failures = this.#outcomes.filter((outcome) => !outcome.ok).length;
    return { requests, errorRate: requests === 0 ? 0 : failures / requests };
  }

  /**
   * Exponentially weighted p95 of recent latencies: newer samples weigh more, so a provider that
   * got slow (or recovered) moves the estimate within a few dozen calls. Undefined without samples.
   */
  latencyP95(): number | undefined {
    this.#prune(this.#options.now());
    return weightedQuantile(
      this.#outcomes.map((outcome) => outcome.latencyMs),
      0.95,
    );
  }

  #prune(now: number): void {
    const oldest = now - this.#options.windowMs;
    while (this.#outcomes.length > 0 && this.#outcomes[0]!.at < oldest) this.#outcomes.shift();
  }
}

/** Quantile of `values` (oldest first) where the weight of each halves every `halfLifeSamples`. */
export function weightedQuantile(values: readonly number[], quantile: number): number | undefined {
  if (values.length === 0) return undefined;
  const weighted = values.map((value, index) => ({
    value,
    weight: 0.5 ** ((values.length - 1 - index) / halfLifeSamples),
  }));
  weighted.sort((a, b) => a.value - b.value);
  const total = weighted.reduce((sum, entry) => sum + entry.weight, 0);
  let accumulated = 0;
  for (const entry of weighted) {
    accumulated += entry.weight;
    if (accumulated >= quantile * total) return entry.value;
  }
  return weighted.at(-1)!.value;
}
