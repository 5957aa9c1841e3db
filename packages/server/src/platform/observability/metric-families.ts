import { type CollectFunction, Gauge, type Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from './series-metrics.ts';

/** Every family is named `sps_…`, default process metrics too, so one prefix finds all of ours. */
export const metricPrefix = 'sps_';

/**
 * Seconds. From a sub-millisecond cache hit to a slow LLM call with re-asks; 2 s is a boundary
 * because the p95 alert fires above it.
 */
const latencyBuckets = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60,
];
const llmLatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];

/** Builders that register each family on one registry under the shared prefix. */
function familyBuilders(registry: Registry) {
  const registers = [registry];
  return {
    // Counters and histograms are updated on the request path: series families (ADR 0016).
    counter: <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new SeriesCounter<L>({ name: metricPrefix + name, help, labelNames, registers }),
    histogram: <L extends string>(
      name: string,
      help: string,
      buckets: number[],
      labelNames: readonly L[] = [],
    ) => new SeriesHistogram<L>({ name: metricPrefix + name, help, labelNames, buckets, registers }),
    gauge: <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[] = [],
      collect?: CollectFunction<Gauge<L>>,
    ) => new Gauge<L>({ name: metricPrefix + name, help, labelNames, registers, collect }),
  };
}

type FamilyBuilders = ReturnType<typeof familyBuilders>;

function httpFamilies({ counter, histogram, gauge }: FamilyBuilders, inFlight: () => number) {
  const families = {
    httpRequests: counter('http_requests_total', 'HTTP requests by method, route template and status.', [
      'method',
      'route',
      'status',
    ]),
    httpDuration: histogram('http_request_duration_seconds', 'HTTP request latency.', latencyBuckets, [
      'method',
      'route',
    ]),
  };
  gauge('http_requests_in_flight', 'HTTP requests being served now.', [], function () {
    this.set(inFlight());
  });
  return families;
}

function providerFamilies({ counter, histogram, gauge }: FamilyBuilders) {
  return {
    llmRequests: counter('llm_requests_total', 'Provider calls by provider, model and outcome.', [
      'provider',
      'model',
      'outcome',
    ]),
    llmErrors: counter('llm_errors_total', 'Failed provider calls by provider and error kind.', [
      'provider',
      'kind',
    ]),
    llmDuration: histogram('llm_request_duration_seconds', 'Provider call latency.', llmLatencyBuckets, [
      'provider',
    ]),
    llmTokens: counter('llm_tokens_total', 'Tokens by provider and kind (prompt, completion).', [
      'provider',
      'kind',
    ]),
    llmCost: counter('llm_cost_usd_total', 'Spend in USD by provider, failed calls included.', ['provider']),
    retries: counter('llm_retries_total', 'Retries of a provider after a transient error.', ['provider']),
    fallbacks: counter('llm_fallbacks_total', 'Fallbacks from one provider to the next.', ['from', 'to']),
    circuit: gauge('provider_circuit_state', 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.', [
      'provider',
    ]),
    healthy: gauge(
      'provider_healthy',
      '1 when the provider is enabled, not disabled and its circuit not open.',
      ['provider'],
    ),
  };
}

function analyzeFamilies({ counter, histogram }: FamilyBuilders) {
  return {
    validations: counter('validation_total', 'Analyze results by validation status.', ['status']),
    attempts: histogram(
      'validation_attempts',
      'Model attempts per analyze request (1 = no re-ask).',
      [1, 2, 3, 4, 5, 6, 8],
    ),
    confidence: histogram(
      'confidence',
      'Confidence score of analyze results (0-1).',
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1],
    ),
    suspiciousInputs: counter('suspicious_inputs_total', 'Prompts flagged as suspicious, by pattern kind.', [
      'kind',
    ]),
  };
}

function accessFamilies({ counter, gauge }: FamilyBuilders) {
  return {
    limitRejections: counter(
      'limit_rejections_total',
      'Requests refused by a rate limit or budget, by kind.',
      ['kind'],
    ),
    authFailures: counter('auth_failures_total', 'Failed authentications by reason.', ['reason']),
    keyCost: counter('key_cost_usd_total', 'Spend in USD per API key id (first keys seen; rest: other).', [
      'api_key_id',
    ]),
    keyTokens: counter('key_tokens_total', 'Tokens per API key id (first keys seen; rest: other).', [
      'api_key_id',
    ]),
    budgetUsage: gauge('key_budget_usage_ratio', 'Share of the monthly budget a key has spent (0-1+).', [
      'api_key_id',
    ]),
  };
}

/**
 * Registers every family of the service on `registry`, in the order they are rendered. `inFlight` is
 * read at each scrape; `version` is the build label.
 */
export function createMetricFamilies(
  registry: Registry,
  options: { inFlight: () => number; version: string },
) {
  const builders = familyBuilders(registry);
  const families = {
    ...httpFamilies(builders, options.inFlight),
    ...providerFamilies(builders),
    ...analyzeFamilies(builders),
    ...accessFamilies(builders),
  };
  builders
    .gauge('build_info', 'Always 1; the version label tells which build serves.', ['version'])
    .set({ version: options.version }, 1);
  return families;
}

export type MetricFamilies = ReturnType<typeof createMetricFamilies>;
