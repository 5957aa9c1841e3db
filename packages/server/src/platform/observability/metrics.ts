import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import {
  authFailureReasons,
  BoundedLabel,
  limitKinds,
  providerErrorKinds,
  suspiciousKinds,
  validationStatuses,
} from './bounded-label.ts';
import { type MetricSources, SourceCollector } from './metric-sources.ts';
import { SeriesCounter, SeriesHistogram } from './series-metrics.ts';

/** Every family is named `sps_…`, default process metrics too, so one prefix finds all of ours. */
export const metricPrefix = 'sps_';

/**
 * Seconds. From a sub-millisecond cache hit to a slow LLM call with re-asks; 2 s is a boundary
 * because the p95 alert fires above it.
 */
export const latencyBuckets = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60,
];
const llmLatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];

export type CircuitState = 'closed' | 'half-open' | 'open';
/** Gauge values of `sps_provider_circuit_state`, ordered so `> 0` means "not closed". */
export const circuitStateValue: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

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
  readonly #providers: BoundedLabel;
  readonly #models: BoundedLabel;
  readonly #keys: BoundedLabel;
  readonly #errorKinds = new BoundedLabel({ max: 0, allowed: providerErrorKinds });
  readonly #validation = new BoundedLabel({ max: 0, allowed: validationStatuses });
  readonly #authReasons = new BoundedLabel({ max: 0, allowed: authFailureReasons });
  readonly #limitKinds = new BoundedLabel({ max: 0, allowed: limitKinds });
  readonly #suspicious = new BoundedLabel({ max: 0, allowed: suspiciousKinds });
  readonly #sources: SourceCollector;

  readonly #httpRequests;
  readonly #httpDuration;
  /** Requests started and not yet answered or aborted; read into the gauge at each scrape. */
  #inFlight = 0;
  readonly #llmRequests;
  readonly #llmErrors;
  readonly #llmDuration;
  readonly #llmTokens;
  readonly #llmCost;
  readonly #retries;
  readonly #fallbacks;
  readonly #circuit;
  readonly #healthy;
  readonly #validations;
  readonly #attempts;
  readonly #confidence;
  readonly #suspiciousInputs;
  readonly #limitRejections;
  readonly #authFailures;
  readonly #keyCost;
  readonly #keyTokens;
  readonly #budgetUsage;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.#providers = new BoundedLabel({ max: options.maxProviders ?? 32 });
    this.#models = new BoundedLabel({ max: options.maxModels ?? 50 });
    this.#keys = new BoundedLabel({ max: options.maxKeys ?? 200 });
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: metricPrefix });

    // Counters and histograms are updated on the request path: series families (ADR 0016).
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new SeriesCounter<L>({ name: metricPrefix + name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Gauge<L>({ name: metricPrefix + name, help, labelNames, registers });
    const histogram = <L extends string>(
      name: string,
      help: string,
      buckets: number[],
      labelNames: readonly L[] = [],
    ) => new SeriesHistogram<L>({ name: metricPrefix + name, help, labelNames, buckets, registers });

    this.#httpRequests = counter(
      'http_requests_total',
      'HTTP requests by method, route template and status.',
      ['method', 'route', 'status'],
    );
    this.#httpDuration = histogram('http_request_duration_seconds', 'HTTP request latency.', latencyBuckets, [
      'method',
      'route',
    ]);
    const metrics = this;
    new Gauge({
      name: `${metricPrefix}http_requests_in_flight`,
      help: 'HTTP requests being served now.',
      registers,
      collect() {
        this.set(metrics.#inFlight);
      },
    });

    this.#llmRequests = counter('llm_requests_total', 'Provider calls by provider, model and outcome.', [
      'provider',
      'model',
      'outcome',
    ]);
    this.#llmErrors = counter('llm_errors_total', 'Failed provider calls by provider and error kind.', [
      'provider',
      'kind',
    ]);
    this.#llmDuration = histogram(
      'llm_request_duration_seconds',
      'Provider call latency.',
      llmLatencyBuckets,
      ['provider'],
    );
    this.#llmTokens = counter('llm_tokens_total', 'Tokens by provider and kind (prompt, completion).', [
      'provider',
      'kind',
    ]);
    this.#llmCost = counter('llm_cost_usd_total', 'Spend in USD by provider, failed calls included.', [
      'provider',
    ]);
    this.#retries = counter('llm_retries_total', 'Retries of a provider after a transient error.', [
      'provider',
    ]);
    this.#fallbacks = counter('llm_fallbacks_total', 'Fallbacks from one provider to the next.', [
      'from',
      'to',
    ]);
    this.#circuit = gauge(
      'provider_circuit_state',
      'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.',
      ['provider'],
    );
    this.#healthy = gauge(
      'provider_healthy',
      '1 when the provider is enabled, not disabled and its circuit not open.',
      ['provider'],
    );

    this.#validations = counter('validation_total', 'Analyze results by validation status.', ['status']);
    this.#attempts = histogram(
      'validation_attempts',
      'Model attempts per analyze request (1 = no re-ask).',
      [1, 2, 3, 4, 5, 6, 8],
    );
    this.#confidence = histogram(
      'confidence',
      'Confidence score of analyze results (0-1).',
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1],
    );
    this.#suspiciousInputs = counter(
      'suspicious_inputs_total',
      'Prompts flagged as suspicious, by pattern kind.',
      ['kind'],
    );

    this.#limitRejections = counter(
      'limit_rejections_total',
      'Requests refused by a rate limit or budget, by kind.',
      ['kind'],
    );
    this.#authFailures = counter('auth_failures_total', 'Failed authentications by reason.', ['reason']);
    this.#keyCost = counter(
      'key_cost_usd_total',
      'Spend in USD per API key id (first keys seen; rest: other).',
      ['api_key_id'],
    );
    this.#keyTokens = counter('key_tokens_total', 'Tokens per API key id (first keys seen; rest: other).', [
      'api_key_id',
    ]);
    this.#budgetUsage = gauge(
      'key_budget_usage_ratio',
      'Share of the monthly budget a key has spent (0-1+).',
      ['api_key_id'],
    );

    gauge('build_info', 'Always 1; the version label tells which build serves.', ['version']).set(
      { version: options.version ?? 'unknown' },
      1,
    );
    this.#sources = new SourceCollector(this.registry, metricPrefix);
  }

  /** A request arrived; pair with `requestFinished` or `requestAborted`, exactly once. */
  requestStarted(): void {
    this.#inFlight += 1;
  }

  /** `method` and `route` already bounded by the caller (HTTP method set, route template). */
  requestFinished(method: string, route: string, statusCode: number, seconds: number): void {
    this.#inFlight -= 1;
    this.#httpRequests.at(method, route, String(statusCode)).inc();
    this.#httpDuration.at(method, route).observe(seconds);
  }

  /** The client went away before an answer: counted as status 499, with no duration. */
  requestAborted(method: string, route: string): void {
    this.#inFlight -= 1;
    this.#httpRequests.at(method, route, '499').inc();
  }

  recordLlmCall(call: LlmCall): void {
    const provider = this.#providers.value(call.provider);
    this.#llmRequests.at(provider, this.#models.value(call.model), call.outcome).inc();
    this.#llmDuration.at(provider).observe(call.latencyMs / 1000);
    if (call.outcome === 'failure')
      this.#llmErrors.at(provider, this.#errorKinds.value(call.errorKind)).inc();
    if (call.costUsd) this.#llmCost.at(provider).inc(call.costUsd);
    this.recordTokens(call.provider, call.promptTokens ?? 0, call.completionTokens ?? 0);
  }

  recordTokens(provider: string, promptTokens: number, completionTokens: number): void {
    const label = this.#providers.value(provider);
    if (promptTokens > 0) this.#llmTokens.at(label, 'prompt').inc(promptTokens);
    if (completionTokens > 0) this.#llmTokens.at(label, 'completion').inc(completionTokens);
  }

  recordRetry(provider: string): void {
    this.#retries.at(this.#providers.value(provider)).inc();
  }

  recordFallback(from: string, to: string): void {
    this.#fallbacks.at(this.#providers.value(from), this.#providers.value(to)).inc();
  }

  setCircuitState(provider: string, state: CircuitState): void {
    this.#circuit.set({ provider: this.#providers.value(provider) }, circuitStateValue[state] ?? 0);
  }

  setProviderHealth(provider: string, healthy: boolean): void {
    this.#healthy.set({ provider: this.#providers.value(provider) }, healthy ? 1 : 0);
  }

  recordValidation(status: string, attempts: number): void {
    this.#validations.at(this.#validation.value(status)).inc();
    if (attempts > 0) this.#attempts.at().observe(attempts);
  }

  recordConfidence(confidence: number): void {
    if (Number.isFinite(confidence)) this.#confidence.at().observe(Math.min(1, Math.max(0, confidence)));
  }

  recordSuspiciousInput(kind: string): void {
    this.#suspiciousInputs.at(this.#suspicious.value(kind)).inc();
  }

  /** `ip`, `hourly` (requests per key), `tokens` (per minute), `budget`, `auth_lockout`. */
  recordLimitRejection(kind: string): void {
    this.#limitRejections.at(this.#limitKinds.value(kind)).inc();
  }

  recordAuthFailure(reason: string): void {
    this.#authFailures.at(this.#authReasons.value(reason)).inc();
  }

  /** What one request cost a key; the id (never the secret) becomes a bounded label. */
  recordKeyUsage(keyId: string, usage: { costUsd: number; totalTokens: number }): void {
    if (!(usage.costUsd > 0) && !(usage.totalTokens > 0)) return;
    const apiKeyId = this.#keys.value(keyId);
    if (usage.costUsd > 0) this.#keyCost.at(apiKeyId).inc(usage.costUsd);
    if (usage.totalTokens > 0) this.#keyTokens.at(apiKeyId).inc(usage.totalTokens);
  }

  /** Spent / limit of a key's monthly budget, after a reservation or settlement. */
  setBudgetUsage(keyId: string, spentUsd: number, limitUsd: number): void {
    if (!(limitUsd > 0)) return;
    this.#budgetUsage.set({ api_key_id: this.#keys.value(keyId) }, spentUsd / limitUsd);
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
