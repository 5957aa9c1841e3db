import type { ProviderError } from '../spec/provider-error.ts';
import type { CircuitStateName } from './provider-circuit.ts';

/** One provider call finished (success or failure); for metrics and tracing. */
export interface AttemptEvent {
  provider: string;
  model: string;
  /** 1 for the first call to this provider within a request, 2 for its first retry, … */
  attempt: number;
  outcome: 'success' | 'failure';
  durationMs: number;
  costUsd: number;
  error?: ProviderError;
}

/**
 * Optional hooks the lead can wire to Prometheus counters or logs. They run synchronously inside
 * the routing path, so they must be cheap and must not throw (a throwing hook is ignored).
 */
export interface RouterEvents {
  onAttempt?(event: AttemptEvent): void;
  onRetry?(event: {
    provider: string;
    model: string;
    retry: number;
    delayMs: number;
    error: ProviderError;
  }): void;
  onFallback?(event: { from: string; to: string; error: ProviderError }): void;
  onCircuitChange?(event: { provider: string; state: CircuitStateName }): void;
}

/** Calls a hook, keeping a faulty metrics hook from breaking a request. */
export function emit<K extends keyof RouterEvents>(
  events: RouterEvents | undefined,
  name: K,
  event: Parameters<NonNullable<RouterEvents[K]>>[0],
): void {
  const hook = events?.[name] as ((event: unknown) => void) | undefined;
  if (!hook) return;
  try {
    hook.call(events, event);
  } catch {
    // metrics must never fail a request
  }
}
