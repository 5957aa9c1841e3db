import type { Metrics } from '../../platform/observability/metrics.ts';
import type { AnalyzeObserver } from './analyze-observer.ts';

/**
 * Analyze outcomes to pipeline metrics. Cache hits and requests that joined another one's
 * computation spent no tokens, so only the request that computed counts them.
 */
export function analyzeMetricsObserver(metrics: Metrics): AnalyzeObserver {
  return {
    onAnalyzed({ result, cached, coalesced }) {
      metrics.recordValidation(result.validation.status, cached ? 0 : result.validation.attempts);
      metrics.recordConfidence(result.confidence);
      if (!cached && !coalesced) {
        metrics.recordTokens(result.provider, result.usage.promptTokens, result.usage.completionTokens);
      }
    },
    onSuspiciousInput(kind) {
      metrics.recordSuspiciousInput(kind);
    },
    onLimitRejected(kind) {
      metrics.recordLimitRejection(kind);
    },
    onKeyUsage(keyId, usage) {
      metrics.recordKeyUsage(keyId, usage);
    },
    onBudget(keyId, spentUsd, limitUsd) {
      metrics.setBudgetUsage(keyId, spentUsd, limitUsd);
    },
  };
}
