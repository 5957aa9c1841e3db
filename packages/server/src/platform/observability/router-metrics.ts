import type { RouterEvents } from '@structured-prompt/gateway';
import type { Metrics } from './metrics.ts';
import { providerAttributes, spanNames, type Tracer } from './tracing.ts';

/**
 * Router hooks that feed the LLM metrics and one `provider.attempt` span per call. The router emits
 * after each call with its duration, so the span is recorded after the fact as a child of whatever
 * span is active (the cache lookup, when the analyze service wraps its computation in one).
 *
 * Cost is counted here (every call, failed ones too); tokens come from `analyzeMetricsObserver`,
 * because attempt events carry no token counts.
 */
export function routerMetricsEvents(metrics: Metrics, tracer?: Tracer): RouterEvents {
  return {
    onAttempt(event) {
      metrics.recordLlmCall({
        provider: event.provider,
        model: event.model,
        outcome: event.outcome,
        errorKind: event.error?.kind,
        latencyMs: event.durationMs,
        costUsd: event.costUsd,
      });
      tracer?.recordSpan(spanNames.providerAttempt, providerAttributes(event), {
        durationMs: event.durationMs,
        error: event.error,
      });
    },
    onRetry(event) {
      metrics.recordRetry(event.provider);
    },
    onFallback(event) {
      metrics.recordFallback(event.from, event.to);
    },
    onCircuitChange(event) {
      metrics.setCircuitState(event.provider, event.state);
    },
  };
}
