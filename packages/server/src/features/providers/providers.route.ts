import { ProviderStatusList } from '@structured-prompt/contracts';
import type { ProviderStatus } from '@structured-prompt/gateway';
import type { AppInstance } from '../../http/app-instance.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { GatewayPort } from '../../services.ts';

function toEntry(status: ProviderStatus) {
  const prices: Record<string, { input_per_1k: number; output_per_1k: number } | null> = {};
  for (const [model, price] of Object.entries(status.prices)) {
    prices[model] = price ? { input_per_1k: price.inputPer1k, output_per_1k: price.outputPer1k } : null;
  }
  return {
    name: status.name,
    kind: status.kind,
    enabled: status.enabled,
    disabled_reason: status.disabledReason,
    healthy: status.healthy,
    circuit: status.circuit,
    disabled_until: status.disabledUntil,
    models: status.models,
    default_model: status.defaultModel,
    prices,
    latency_p95_ms: status.latencyP95Ms,
    error_rate: status.errorRate,
    recent_requests: status.recentRequests,
    in_flight: status.inFlight,
    max_concurrency: status.maxConcurrency,
    timeout_ms: status.timeoutMs,
    priority: status.priority,
  };
}

export function providersRoutes(app: AppInstance, gateway: GatewayPort, strategy: string): void {
  app.get(
    '/v1/analyze/providers',
    {
      schema: {
        summary: 'Providers and their health',
        description:
          'Every configured provider in fallback order: whether it is enabled (and why not), healthy, its circuit ' +
          'state, models and prices, recent p95 latency, error rate and requests in flight.',
        tags: ['analyze'],
        security: apiKeySecurity,
        response: { 200: ProviderStatusList, ...problemResponses(401, 429, 500) },
      },
    },
    async () => ({ strategy, providers: gateway.listProviderStatus().map(toEntry) }),
  );
}
