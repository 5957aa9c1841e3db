import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { createProviderGateway, loadLanguageDetector } from '@structured-prompt/gateway';
import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import { analyzeMetricsObserver } from './features/analyze/analyze-metrics.ts';
import { createResponseCache } from './features/cache/create-response-cache.ts';
import { registerJobData } from './features/jobs/job-data-lifecycle.ts';
import { buildJobsModule, type JobsModule } from './features/jobs/jobs-module.ts';
import { seedTemplateLibrary } from './features/templates/template-library.ts';
import { jobWebhookEvents } from './features/webhooks/job-webhook-events.ts';
import { serviceVersion } from './lib/version.ts';
import { Lifecycle } from './lifecycle.ts';
import type { HealthCheck } from './platform/health-check.ts';
import { createJobQueue, createJobQueueHealthCheck } from './platform/job-queue/create-job-queue.ts';
import {
  createKeyBusHealthCheck,
  createLocalInvalidationBus,
  createRedisInvalidationBus,
} from './platform/key-bus/key-invalidation-bus.ts';
import { createMemoryBudgetLedger } from './platform/limits/budget-ledger.ts';
import { createMemoryRateLimitStore, createRedisRateLimitStore } from './platform/limits/rate-limit-store.ts';
import { createRedisBudgetLedger } from './platform/limits/redis-budget-ledger.ts';
import { Metrics } from './platform/observability/metrics.ts';
import { routerMetricsEvents } from './platform/observability/router-metrics.ts';
import { createTracer, type Tracer } from './platform/observability/tracing.ts';
import { createRedisHealthCheck, RedisCircuit } from './platform/redis/redis-circuit.ts';
import { createRedisClient, waitForRedis } from './platform/redis/redis-client.ts';
import { createDatabase } from './platform/storage/database.ts';
import { createDatabaseHealthCheck } from './platform/storage/database-health-check.ts';
import { migrateToLatest, refuseNewerDatabase } from './platform/storage/migrator.ts';
import { startRetentionTask } from './platform/storage/retention.ts';
import { buildServices, type Infrastructure, type Services } from './services.ts';
import { replayJournal, seedSchemaLibrary } from './startup-tasks.ts';

/** The Redis channel of schema registry changes (the key bus has its own). */
const registryChannel = 'sps:registry:invalidate';

/** Everything the app and the process need, built once: the service's one composition root. */
export interface AppContext {
  config: Readonly<Config>;
  logger: Logger;
  lifecycle: Lifecycle;
  version: string;
  healthChecks: HealthCheck[];
  infra: Infrastructure;
  services: Services;
  metrics: Metrics;
  tracer: Tracer;
  /** Async jobs: the service behind the routes, and a worker factory. */
  jobs: JobsModule;
  /** Releases what this context built, in reverse order; parts passed in belong to the caller. */
  close(): Promise<void>;
}

/** Parts a caller (a test, a benchmark) brings instead of the ones the config describes. */
export interface ContextOverrides {
  infra?: Partial<Infrastructure>;
  healthChecks?: HealthCheck[];
  /** Receives finished spans; tracing is on when given or when the config sets an OTLP endpoint. */
  spanExporter?: SpanExporter;
  /** Export each span as it ends (tests read them at once). */
  exportSpansImmediately?: boolean;
  /** Process metrics (CPU, memory, GC); default on. */
  defaultMetrics?: boolean;
  /** Run a job worker in this process (default: `JOB_WORKER_IN_PROCESS`, else only with the embedded queue). */
  jobWorker?: boolean;
}

type Closers = Array<() => Promise<unknown>>;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Where replicas tell each other that a prompt template changed. */
const templateChannel = 'sps:templates:invalidate';

/**
 * Builds the real parts from the config: database (migrated, or checked when migrations run
 * elsewhere), Redis when configured, limits, cache, provider gateway, services and background tasks.
 * On failure, whatever was already built is released before the error is rethrown.
 */
export async function createContext(
  config: Readonly<Config>,
  logger: Logger,
  overrides: ContextOverrides = {},
): Promise<AppContext> {
  const closers: Closers = [];
  const close = () => closeAll(closers, logger);
  try {
    const metrics = new Metrics({
      version: serviceVersion,
      defaultMetrics: overrides.defaultMetrics ?? true,
    });
    const tracer = createTracer(config.telemetry, {
      version: serviceVersion,
      exporter: overrides.spanExporter,
      exportImmediately: overrides.exportSpansImmediately,
    });
    closers.push(() => tracer.shutdown());
    // One circuit for the Redis connection that limits, budgets and key revocation share.
    const circuit = new RedisCircuit({ timeoutMs: config.redis.commandTimeoutMs, label: 'limits', logger });
    const infra = await buildInfrastructure(
      config,
      logger,
      overrides.infra ?? {},
      { metrics, tracer, circuit },
      closers,
    );
    const services = buildServices(infra, config, logger, {
      analyzeObserver: analyzeMetricsObserver(metrics),
      tracer,
      webhookMetrics: metrics.webhooks,
    });
    metrics.observe({
      cache: () => services.cache.stats(),
      requestLogs: () => services.logWriter.stats(),
      providers: () => services.gateway.listProviderStatus(),
    });
    await seedSchemaLibrary(services, logger);
    await seedTemplateLibrary(services.templatesRepository, logger);
    closers.push(() => services.logWriter.close(config.server.shutdownTimeoutMs / 2));
    await replayJournal(services, logger);
    closers.push(() => services.audit.drain());
    // One loop for every data class; features add theirs to services.dataLifecycle before start.
    const retention = startRetentionTask(infra.database, {
      retentionDays: config.requestLogs.retentionDays,
      promptDays: config.retention.promptDays,
      auditLogDays: config.retention.auditLogDays,
      webhookDeliveryDays: config.retention.webhookDeliveryDays,
      rules: services.dataLifecycle.retentionRules,
      intervalMs: config.requestLogs.purgeIntervalMs,
      logger,
      observer: metrics.retention,
    });
    closers.push(() => retention.stop());
    const jobs = await startJobs(config, logger, { infra, services, metrics }, overrides, closers);
    // Started last and stopped first: deliveries in flight finish before the audit log drains.
    services.webhooks.start();
    closers.push(() => services.webhooks.close());
    return {
      config,
      logger,
      lifecycle: new Lifecycle(),
      version: serviceVersion,
      healthChecks: overrides.healthChecks ?? defaultHealthChecks(infra, circuit),
      infra,
      services,
      metrics,
      tracer,
      jobs,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function buildInfrastructure(
  config: Readonly<Config>,
  logger: Logger,
  given: Partial<Infrastructure>,
  parts: { metrics: Metrics; tracer: Tracer; circuit: RedisCircuit },
  closers: Closers,
): Promise<Infrastructure> {
  const { circuit } = parts;
  const database = given.database ?? (await openDatabase(config, logger, closers));
  const redis = given.redis ?? (await connectRedis(config, logger, closers));
  const keyBus =
    given.keyBus ??
    (redis ? createRedisInvalidationBus(redis, { circuit, logger }) : createLocalInvalidationBus());
  if (!given.keyBus) {
    closers.push(() => keyBus.close());
    // Start subscribed when Redis is there; otherwise carry on (health shows it) and subscribe later.
    if (redis) await Promise.race([keyBus.ready(), delay(2000)]);
  }
  const registryBus =
    given.registryBus ??
    (redis
      ? createRedisInvalidationBus(redis, { channel: registryChannel, circuit, logger })
      : createLocalInvalidationBus());
  if (!given.registryBus) closers.push(() => registryBus.close());
  const templateBus =
    given.templateBus ??
    (redis
      ? createRedisInvalidationBus(redis, { channel: templateChannel, circuit, logger })
      : createLocalInvalidationBus());
  if (!given.templateBus) closers.push(() => templateBus.close());
  const languageDetector = given.languageDetector ?? (await loadLanguageDetector());
  const responseCache = given.responseCache ?? createResponseCache(config, { logger });
  if (!given.responseCache) {
    closers.push(() => responseCache.close());
    await responseCache.ready(2000);
  }
  const gateway =
    given.gateway ??
    createProviderGateway(
      { providers: config.providers, router: config.router, transport: config.transport },
      { events: routerMetricsEvents(parts.metrics, parts.tracer), languageDetector },
    );
  if (!given.gateway) closers.push(() => gateway.close());
  const jobQueue = given.jobQueue ?? (await createJobQueue(config, database));
  if (!given.jobQueue) closers.push(() => jobQueue.close());
  return {
    database,
    redis,
    keyBus,
    registryBus,
    templateBus,
    gateway,
    responseCache,
    languageDetector,
    jobQueue,
    rateLimits:
      given.rateLimits ??
      (redis ? createRedisRateLimitStore(redis, undefined, circuit) : createMemoryRateLimitStore()),
    budgets:
      given.budgets ??
      (redis ? createRedisBudgetLedger(redis, undefined, circuit) : createMemoryBudgetLedger()),
  };
}

async function openDatabase(config: Readonly<Config>, logger: Logger, closers: Closers) {
  const database = createDatabase(config.database, { logger });
  closers.push(() => database.close());
  if (config.database.migrateOnBoot) {
    const applied = await migrateToLatest(database);
    if (applied.length > 0)
      logger.info({ migrations: applied, dialect: database.dialect }, 'database migrated');
  } else {
    await refuseNewerDatabase(database);
  }
  return database;
}

async function connectRedis(config: Readonly<Config>, logger: Logger, closers: Closers) {
  if (!config.redis.url) return undefined;
  const redis = createRedisClient(config.redis.url, {
    commandTimeoutMs: config.redis.commandTimeoutMs,
    logger,
  });
  closers.push(async () => redis.disconnect());
  if (!(await waitForRedis(redis, 3000)))
    logger.warn('redis is not reachable yet; limits count per replica until it is');
  return redis;
}

/** The jobs feature; its worker runs here when configured, and stops before the database closes. */
async function startJobs(
  config: Readonly<Config>,
  logger: Logger,
  parts: { infra: Infrastructure; services: Services; metrics: Metrics },
  overrides: ContextOverrides,
  closers: Closers,
): Promise<JobsModule> {
  const jobs = buildJobsModule({
    config,
    database: parts.infra.database,
    queue: parts.infra.jobQueue,
    analyze: parts.services.analyze,
    apiKeys: parts.services.apiKeysRepository,
    metrics: parts.metrics,
    logger,
    events: jobWebhookEvents(parts.services.webhooks),
  });
  registerJobData(parts.services.dataLifecycle, parts.infra.database, config.retention.jobResultDays);
  const inProcess = overrides.jobWorker ?? config.jobs.workerInProcess ?? config.jobs.queue === 'embedded';
  if (inProcess) {
    const runner = jobs.createRunner();
    await runner.start();
    closers.push(() => runner.stop(config.server.shutdownTimeoutMs / 2));
  }
  return jobs;
}

function defaultHealthChecks(infra: Infrastructure, circuit: RedisCircuit): HealthCheck[] {
  const checks = [createDatabaseHealthCheck(infra.database), createJobQueueHealthCheck(infra.jobQueue)];
  if (infra.responseCache.healthCheck) checks.push(infra.responseCache.healthCheck);
  const { redis } = infra;
  if (redis) checks.push(createRedisHealthCheck(() => redis.ping(), circuit));
  if (redis) checks.push(createKeyBusHealthCheck(infra.keyBus));
  return checks;
}

async function closeAll(closers: Closers, logger: Logger): Promise<void> {
  for (const closer of closers.splice(0).reverse()) {
    try {
      await closer();
    } catch (error) {
      logger.error({ err: error }, 'error while releasing a dependency');
    }
  }
}
