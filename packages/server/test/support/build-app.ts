import { Writable } from 'node:stream';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { CreateApiKeyRequest } from '@structured-prompt/contracts';
import { createProviderGateway } from '@structured-prompt/gateway';
import { onTestFinished } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { AppDependencies } from '../../src/app-dependencies.ts';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { createResponseCache } from '../../src/features/cache/create-response-cache.ts';
import type { AppInstance } from '../../src/http/app-instance.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { serviceVersion } from '../../src/lib/version.ts';
import { Lifecycle } from '../../src/lifecycle.ts';
import type { HealthCheck } from '../../src/platform/health-check.ts';
import { createLocalInvalidationBus } from '../../src/platform/key-bus/key-invalidation-bus.ts';
import { createMemoryBudgetLedger } from '../../src/platform/limits/budget-ledger.ts';
import { createMemoryRateLimitStore } from '../../src/platform/limits/rate-limit-store.ts';
import { createObservability } from '../../src/platform/observability/create-observability.ts';
import { createDatabaseHealthCheck } from '../../src/platform/storage/database-health-check.ts';
import { buildServices, type Infrastructure } from '../../src/services.ts';
import { createTestDatabase } from './test-databases.ts';

/** Collects every log line of an app so tests can assert what was (and was not) logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestAppOptions {
  /** Environment settings on top of the test defaults (silent logs, no .env). */
  env?: Record<string, string>;
  healthChecks?: HealthCheck[];
  /** Capture logs at this level instead of discarding them. */
  captureLogs?: LogCapture;
  /** Leave the lifecycle in `starting` (for readiness tests). */
  notReady?: boolean;
  /** Infrastructure to use instead of a fresh SQLite file and in-memory stores (e.g. shared Redis). */
  infra?: Partial<Infrastructure>;
  /** Receives finished spans (tracing is on when given, or when the config sets an OTLP endpoint). */
  spanExporter?: SpanExporter;
  /** Parts to replace after the defaults are built. */
  overrides?: Partial<AppDependencies>;
}

export interface TestApp {
  app: AppInstance;
  deps: AppDependencies;
  config: Readonly<Config>;
  infra: Infrastructure;
  /** Issues a key through the real service and returns its raw secret and id. */
  createKey(input?: Partial<CreateApiKeyRequest>): Promise<{ key: string; id: string }>;
}

/** Builds an app with the chosen parts and closes it when the current test finishes. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    env: { LOG_LEVEL: options.captureLogs ? 'debug' : 'silent', NODE_ENV: 'test', ...options.env },
    readDotEnv: false,
  });
  const logger = createLogger(config, options.captureLogs);
  const lifecycle = new Lifecycle();
  if (!options.notReady) lifecycle.markReady();
  const observability = createObservability(config, serviceVersion, {
    defaultMetrics: true,
    exporter: options.spanExporter,
    exportImmediately: true,
  });
  const ownDatabase = options.infra?.database ? undefined : await createTestDatabase('sqlite');
  const infra: Infrastructure = {
    database: options.infra?.database ?? ownDatabase!.database,
    rateLimits: options.infra?.rateLimits ?? createMemoryRateLimitStore(),
    budgets: options.infra?.budgets ?? createMemoryBudgetLedger(),
    keyBus: options.infra?.keyBus ?? createLocalInvalidationBus(),
    gateway:
      options.infra?.gateway ??
      createProviderGateway(
        { providers: config.providers, router: config.router },
        { events: observability.routerEvents },
      ),
    responseCache: options.infra?.responseCache ?? createResponseCache(config),
    redis: options.infra?.redis,
  };
  const services = buildServices(infra, config, logger, {
    analyzeObserver: observability.analyzeObserver,
    tracer: observability.tracer,
  });
  observability.connect(services);
  const deps: AppDependencies = {
    config,
    logger,
    lifecycle,
    version: serviceVersion,
    // Same checks as the runtime unless a test brings its own.
    healthChecks: options.healthChecks ?? [
      createDatabaseHealthCheck(infra.database),
      ...(infra.responseCache.healthCheck ? [infra.responseCache.healthCheck] : []),
    ],
    services,
    metrics: observability.metrics,
    tracer: observability.tracer,
    ...options.overrides,
  };
  const app = await buildApp(deps);
  onTestFinished(async () => {
    await app.close();
    await services.logWriter.close();
    await services.audit.drain();
    if (!options.infra?.gateway) await infra.gateway.close();
    if (!options.infra?.responseCache) await infra.responseCache.close();
    await ownDatabase?.destroy();
    await observability.tracer.shutdown();
  });
  const actor = { keyId: null, ip: '127.0.0.1', requestId: null };
  const createKey = async (input: Partial<CreateApiKeyRequest> = {}) => {
    const { record, key } = await services.apiKeys.create(
      { name: 'test', scopes: ['user'], ...input },
      actor,
    );
    return { key, id: record.id };
  };
  return { app, deps, config, infra, createKey };
}
