import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  authFailureReasons,
  BoundedLabel,
  limitKinds,
  providerErrorKinds,
  suspiciousKinds,
  validationStatuses,
} from './bounded-label.ts';
import { createMetricFamilies, type MetricFamilies, metricPrefix } from './metric-families.ts';
import { type MetricSources, SourceCollector } from './metric-sources.ts';
import { retentionMetrics } from './retention-metrics.ts';
import { WebhookMetrics } from './webhook-metrics.ts';

export type CircuitState = 'closed' | 'half-open' | 'open';
/** Gauge values of `sps_provider_circuit_state`, ordered so `> 0` means "not closed". */
const circuitStateValue: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface LlmCall {
  provider: string;
  model: string;
  outcome: 'success' | 'failure';
  /** ProviderError kind of a failure (timeout, rate_limited, …); bounded to a known set. */
  errorKind?: string;
  latencyMs: number;
  /** Tokens of this call when it reports them; leave out to count tokens via `recordTokens`. */
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop, GC). Off in tests that build many registries. */
  defaultMetrics?: boolean;
  /** Distinct model names kept as labels before the rest collapse to `other`. */
  maxModels?: number;
  /** Distinct API key ids kept as labels (cost per key) before the rest collapse to `other`. */
  maxKeys?: number;
  /** Distinct provider names kept; providers come from config, so this only guards typos. */
  maxProviders?: number;
  /** Service version, exposed as `sps_build_info{version}` so dashboards can mark deploys. */
  version?: string;
}

/**
 * Every Prometheus metric of one app, on its own registry (no global one, so tests can build many
 * apps in one process). Recording methods take plain values and bound every label themselves:
 * callers can pass what they have without thinking about cardinality.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Webhook delivery metrics, fed by the webhook dispatcher. */
  readonly webhooks = new WebhookMetrics(this.registry);
  readonly #providers: BoundedLabel;
  readonly #models: BoundedLabel;
  readonly #keys: BoundedLabel;
  readonly #errorKinds = new BoundedLabel({ max: 0, allowed: providerErrorKinds });
  readonly #validation = new BoundedLabel({ max: 0, allowed: validationStatuses });
  readonly #authReasons = new BoundedLabel({ max: 0, allowed: authFailureReasons });
  readonly #limitKinds = new BoundedLabel({ max: 0, allowed: limitKinds });
  readonly #suspicious = new BoundedLabel({ max: 0, allowed: suspiciousKinds });
  readonly #sources: SourceCollector;

  readonly #families: MetricFamilies;
  /** What the retention task removed per data class, and its runs. */
  readonly retention: ReturnType<typeof retentionMetrics>;
  /** Requests started and not yet answered or aborted; read into the gauge at each scrape. */
  #inFlight = 0;

  constructor(options: MetricsOptions = {}) {
    this.#providers = new BoundedLabel({ max: options.maxProviders ?? 32 });
    this.#models = new BoundedLabel({ max: options.maxModels ?? 50 });
    this.#keys = new BoundedLabel({ max: options.maxKeys ?? 200 });
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: metricPrefix });
    this.#families = createMetricFamilies(this.registry, {
      inFlight: () => this.#inFlight,
      version: options.version ?? 'unknown',
    });
    this.#sources = new SourceCollector(this.registry, metricPrefix);
    this.retention = retentionMetrics(this.registry);
  }

  /** A request arrived; pair with `requestFinished` or `requestAborted`, exactly once. */
  requestStarted(): void {
    this.#inFlight += 1;
  }

  /** `method` and `route` already bounded by the caller (HTTP method set, route template). */
  requestFinished(method: string, route: string, statusCode: number, seconds: number): void {
    this.#inFlight -= 1;
    this.#families.httpRequests.at(method, route, String(statusCode)).inc();
    this.#families.httpDuration.at(method, route).observe(seconds);
  }

  /** The client went away before an answer: counted as status 499, with no duration. */
  requestAborted(method: string, route: string): void {
    this.#inFlight -= 1;
    this.#families.httpRequests.at(method, route, '499').inc();
  }

  recordLlmCall(call: LlmCall): void {
    const provider = this.#providers.value(call.provider);
    this.#families.llmRequests.at(provider, this.#models.value(call.model), call.outcome).inc();
    this.#families.llmDuration.at(provider).observe(call.latencyMs / 1000);
    if (call.outcome === 'failure')
      this.#families.llmErrors.at(provider, this.#errorKinds.value(call.errorKind)).inc();
    if (call.costUsd) this.#families.llmCost.at(provider).inc(call.costUsd);
    this.recordTokens(call.provider, call.promptTokens ?? 0, call.completionTokens ?? 0);
  }

  recordTokens(provider: string, promptTokens: number, completionTokens: number): void {
    const label = this.#providers.value(provider);
    if (promptTokens > 0) this.#families.llmTokens.at(label, 'prompt').inc(promptTokens);
    if (completionTokens > 0) this.#families.llmTokens.at(label, 'completion').inc(completionTokens);
  }

  recordRetry(provider: string): void {
    this.#families.retries.at(this.#providers.value(provider)).inc();
  }

  recordFallback(from: string, to: string): void {
    this.#families.fallbacks.at(this.#providers.value(from), this.#providers.value(to)).inc();
  }

  setCircuitState(provider: string, state: CircuitState): void {
    this.#families.circuit.set({ provider: this.#providers.value(provider) }, circuitStateValue[state] ?? 0);
  }

  setProviderHealth(provider: string, healthy: boolean): void {
    this.#families.healthy.set({ provider: this.#providers.value(provider) }, healthy ? 1 : 0);
  }

  recordValidation(status: string, attempts: number): void {
    this.#families.validations.at(this.#validation.value(status)).inc();
    if (attempts > 0) this.#families.attempts.at().observe(attempts);
  }

  recordConfidence(confidence: number): void {
    if (Number.isFinite(confidence))
      this.#families.confidence.at().observe(Math.min(1, Math.max(0, confidence)));
  }

  recordSuspiciousInput(kind: string): void {
    this.#families.suspiciousInputs.at(this.#suspicious.value(kind)).inc();
  }

  /** `ip`, `hourly` (requests per key), `tokens` (per minute), `budget`, `auth_lockout`. */
  recordLimitRejection(kind: string): void {
    this.#families.limitRejections.at(this.#limitKinds.value(kind)).inc();
  }

  recordAuthFailure(reason: string): void {
    this.#families.authFailures.at(this.#authReasons.value(reason)).inc();
  }

  /** What one request cost a key; the id (never the secret) becomes a bounded label. */
  recordKeyUsage(keyId: string, usage: { costUsd: number; totalTokens: number }): void {
    if (!(usage.costUsd > 0) && !(usage.totalTokens > 0)) return;
    const apiKeyId = this.#keys.value(keyId);
    if (usage.costUsd > 0) this.#families.keyCost.at(apiKeyId).inc(usage.costUsd);
    if (usage.totalTokens > 0) this.#families.keyTokens.at(apiKeyId).inc(usage.totalTokens);
  }

  /** Spent / limit of a key's monthly budget, after a reservation or settlement. */
  setBudgetUsage(keyId: string, spentUsd: number, limitUsd: number): void {
    if (!(limitUsd > 0)) return;
    this.#families.budgetUsage.set({ api_key_id: this.#keys.value(keyId) }, spentUsd / limitUsd);
  }

  /** Attaches pull-based sources (cache, request-log writer, provider status) read at each scrape. */
  observe(sources: MetricSources): void {
    this.#sources.add(sources);
  }

  /** Refreshes the pulled values and renders the Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    const providers = await this.#sources.refresh();
    for (const provider of providers) {
      this.setProviderHealth(provider.name, provider.healthy);
      this.setCircuitState(provider.name, provider.circuit);
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
