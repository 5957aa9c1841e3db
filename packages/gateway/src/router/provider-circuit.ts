import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { ProviderError } from '../spec/provider-error.ts';

export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** Failures that say something about the provider, not about the request or the caller. */
function countsAgainstProvider(error: unknown): boolean {
  return (
    error instanceof ProviderError &&
    [
      'timeout',
      'rate_limited',
      'server_error',
      'connection',
      'malformed_response',
      'authentication',
    ].includes(error.kind)
  );
}

/**
 * Cockatiel circuit breaker for one provider: opens after `threshold` consecutive provider
 * failures, lets one probe through after `cooldownMs` (half-open) and closes when it succeeds.
 */
export class ProviderCircuit {
  readonly #provider: string;
  readonly #cooldownMs: number;
  readonly #policy;
  #openedAt = 0;

  constructor(
    provider: string,
    options: { threshold: number; cooldownMs: number; onChange: (state: CircuitStateName) => void },
  ) {
    this.#provider = provider;
    this.#cooldownMs = options.cooldownMs;
    this.#policy = circuitBreaker(handleWhen(countsAgainstProvider), {
      halfOpenAfter: options.cooldownMs,
      breaker: new ConsecutiveBreaker(options.threshold),
    });
    this.#policy.onBreak(() => {
      this.#openedAt = Date.now();
    });
    this.#policy.onStateChange((state) => options.onChange(stateName(state)));
  }

  get state(): CircuitStateName {
    return stateName(this.#policy.state);
  }

  /** Closed, or open long enough that the next call is the half-open probe. */
  canAttempt(): boolean {
    const state = this.#policy.state;
    if (state === CircuitState.Closed) return true;
    return state === CircuitState.Open && Date.now() - this.#openedAt >= this.#cooldownMs;
  }

  // A rejection handler rather than an async wrapper: one suspended frame less per call in flight.
  execute<T>(call: () => Promise<T>): Promise<T> {
    return this.#policy.execute(call).catch((error: unknown) => {
      if (error instanceof BrokenCircuitError) {
        throw new ProviderError(this.#provider, 'circuit_open', 'circuit breaker open', {
          cause: error,
          isRetryable: false,
        });
      }
      throw error;
    });
  }
}

function stateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}
