import type { ModelPrice, PriceTable } from '../pricing/price-table.ts';
import type { ProviderKind } from '../spec/provider.ts';
import type { CircuitStateName } from './provider-circuit.ts';
import { byConfiguredOrder } from './route-plan.ts';
import type { RouterMember } from './router-member.ts';

/** One row of GET /v1/analyze/providers. */
export interface ProviderStatus {
  name: string;
  kind: ProviderKind;
  /** Configured and able to run (has its key, model file, runtime …). */
  enabled: boolean;
  /** Why it is not enabled, e.g. "no API key configured" or "not installed (run npm run setup:local-llm)". */
  disabledReason: string | null;
  /** Enabled, not disabled by the health tracker, and its circuit is not open. */
  healthy: boolean;
  circuit: CircuitStateName;
  /** ISO time until which the health tracker keeps it disabled. */
  disabledUntil: string | null;
  models: string[];
  defaultModel: string;
  /** USD per 1K tokens per model; null for unpriced (self-hosted, local) models. */
  prices: Record<string, ModelPrice | null>;
  /** Exponentially weighted p95 of recent call latencies; null before the first call. */
  latencyP95Ms: number | null;
  /** Failed share of calls in the health window. */
  errorRate: number;
  /** Calls in the health window. */
  recentRequests: number;
  inFlight: number;
  maxConcurrency: number;
  timeoutMs: number;
  priority: number;
}

export function providerStatus(
  members: readonly RouterMember[],
  fallbackOrder: readonly string[],
  prices: PriceTable,
): ProviderStatus[] {
  return byConfiguredOrder(members, fallbackOrder).map((member) => {
    const { settings, health, circuit } = member;
    const disabledUntil = health.disabledUntil();
    const { errorRate, requests } = health.stats();
    const latency = health.latencyP95();
    const enabled = member.disabledReason === undefined;
    const free = settings.kind === 'local' || settings.kind === 'heuristic';
    return {
      name: settings.name,
      kind: settings.kind,
      enabled,
      disabledReason: member.disabledReason ?? null,
      healthy: enabled && disabledUntil === undefined && circuit.state !== 'open',
      circuit: circuit.state,
      disabledUntil: disabledUntil === undefined ? null : new Date(disabledUntil).toISOString(),
      models: [...member.provider.models],
      defaultModel: member.provider.defaultModel,
      prices: Object.fromEntries(
        member.provider.models.map((model) => [model, free ? null : (prices.priceOf(model) ?? null)]),
      ),
      latencyP95Ms: latency === undefined ? null : Math.round(latency),
      errorRate: Math.round(errorRate * 1000) / 1000,
      recentRequests: requests,
      inFlight: member.inFlight,
      maxConcurrency: settings.maxConcurrency,
      timeoutMs: settings.timeoutMs,
      priority: settings.priority,
    };
  });
}
