import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { RouterEvents } from '@structured-prompt/gateway';
import type { Config } from '../../config/index.ts';
import type { AnalyzeObserver } from '../../features/analyze/analyze-observer.ts';
import type { Services } from '../../services.ts';
import { Metrics } from './metrics.ts';
import { analyzeMetricsObserver, routerMetricsEvents } from './observability-hooks.ts';
import { createTracer, type Tracer } from './tracing.ts';

export interface Observability {
  metrics: Metrics;
  tracer: Tracer;
  routerEvents: RouterEvents;
  analyzeObserver: AnalyzeObserver;
  /** Points the scrape-time gauges (cache, log writer, providers) at the built services. */
  connect(services: Services): void;
}

/** Metrics and tracing for one app; the runtime and the test helper both build them here. */
export function createObservability(
  config: Pick<Config, 'telemetry'>,
  version: string,
  options: { defaultMetrics?: boolean; exporter?: SpanExporter; exportImmediately?: boolean } = {},
): Observability {
  const metrics = new Metrics({ version, defaultMetrics: options.defaultMetrics ?? true });
  const tracer = createTracer(config.telemetry, {
    version,
    exporter: options.exporter,
    exportImmediately: options.exportImmediately,
  });
  return {
    metrics,
    tracer,
    routerEvents: routerMetricsEvents(metrics, tracer),
    analyzeObserver: analyzeMetricsObserver(metrics),
    connect(services) {
      metrics.observe({
        cache: () => services.cache.stats(),
        requestLogs: () => services.logWriter.stats(),
        providers: () => services.gateway.listProviderStatus(),
      });
    },
  };
}
