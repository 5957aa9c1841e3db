import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { HealthCheck } from './platform/health-check.ts';
import type { Metrics } from './platform/observability/metrics.ts';
import type { Tracer } from './platform/observability/tracing.ts';
import type { Services } from './services.ts';

/**
 * Everything the app needs, built in one place at boot (`dependencies.ts`) or by the test helper.
 * No module keeps its own singleton: a test can swap any part for an in-memory one.
 */
export interface AppDependencies {
  config: Readonly<Config>;
  logger: Logger;
  lifecycle: Lifecycle;
  version: string;
  healthChecks: HealthCheck[];
  services: Services;
  metrics: Metrics;
  tracer: Tracer;
}
