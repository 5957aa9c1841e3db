import { createProviderGateway } from '@structured-prompt/gateway';
import type { Logger } from 'pino';
import type { AppDependencies } from './app-dependencies.ts';
import type { Config } from './config/index.ts';
import { createResponseCache } from './features/cache/create-response-cache.ts';
import { serviceVersion } from './lib/version.ts';
import { Lifecycle } from './lifecycle.ts';
import type { HealthCheck } from './platform/health-check.ts';
import {
  createLocalInvalidationBus,
  createRedisInvalidationBus,
} from './platform/key-bus/key-invalidation-bus.ts';
import { createMemoryBudgetLedger, createRedisBudgetLedger } from './platform/limits/budget-ledger.ts';
import { createMemoryRateLimitStore, createRedisRateLimitStore } from './platform/limits/rate-limit-store.ts';
import { createObservability } from './platform/observability/create-observability.ts';
import { createRedisClient, waitForRedis } from './platform/redis/redis-client.ts';
import { createDatabase } from './platform/storage/database.ts';
import { createDatabaseHealthCheck } from './platform/storage/database-health-check.ts';
import { migrateToLatest, refuseNewerDatabase } from './platform/storage/migrator.ts';
import { purgeExpired } from './platform/storage/retention.ts';
import { buildServices, type Infrastructure } from './services.ts';

/** The app's dependencies plus how to release them, in reverse order of creation. */
export interface Runtime {
  deps: AppDependencies;
  /** Text to print once after listening (the bootstrap admin key), if any. */
  banner: string[];
  close(): Promise<void>;
}

/**
 * Composition root: builds every real part from the config, once, at boot. Tests build their own
 * parts instead (test/support/build-app.ts).
 */
export async function createRuntime(config: Readonly<Config>, logger: Logger): Promise<Runtime> {
  const closers: Array<() => Promise<unknown>> = [];
  const healthChecks: HealthCheck[] = [];
  const banner: string[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        logger.error({ err: error }, 'error while releasing a dependency');
      }
    }
  };

  try {
    const database = createDatabase(config.database, { logger });
    closers.push(() => database.close());
    if (config.database.migrateOnBoot) {
      const applied = await migrateToLatest(database);
      if (applied.length > 0)
        logger.info({ migrations: applied, dialect: database.dialect }, 'database migrated');
    } else {
      await refuseNewerDatabase(database);
    }
    healthChecks.push(createDatabaseHealthCheck(database));

    const redis = config.redis.url
      ? createRedisClient(config.redis.url, { commandTimeoutMs: config.redis.commandTimeoutMs, logger })
      : undefined;
    if (redis) {
      closers.push(async () => redis.disconnect());
      if (!(await waitForRedis(redis, 3000)))
        logger.warn('redis is not reachable yet; limits count per replica until it is');
    }
    const keyBus = redis ? createRedisInvalidationBus(redis) : createLocalInvalidationBus();
    closers.push(() => keyBus.close());

    const responseCache = createResponseCache(config, { logger });
    closers.push(() => responseCache.close());
    if (responseCache.healthCheck) {
      healthChecks.push(responseCache.healthCheck);
      await responseCache.ready(2000);
    }
    const observability = createObservability(config, serviceVersion);
    closers.push(() => observability.tracer.shutdown());
    const gateway = createProviderGateway(
      { providers: config.providers, router: config.router },
      { events: observability.routerEvents },
    );
    closers.push(() => gateway.close());

    const infra: Infrastructure = {
      database,
      redis,
      keyBus,
      gateway,
      responseCache,
      rateLimits: redis ? createRedisRateLimitStore(redis) : createMemoryRateLimitStore(),
      budgets: redis ? createRedisBudgetLedger(redis) : createMemoryBudgetLedger(),
    };
    const services = buildServices(infra, config, logger, {
      analyzeObserver: observability.analyzeObserver,
      tracer: observability.tracer,
    });
    observability.connect(services);
    closers.push(() => services.logWriter.close(config.server.shutdownTimeoutMs / 2));
    closers.push(() => services.audit.drain());

    const bootstrap = await services.apiKeys.bootstrapAdmin(config.auth.adminKey);
    if (bootstrap.created && !bootstrap.fromConfig) {
      banner.push(
        '  First start: created an admin API key. It is shown only this once; store it now:',
        `    ${bootstrap.key}`,
        '  Create more keys with the API (POST /v1/api-keys) or `npm run keys -- create --name <name>`.',
      );
    } else if (bootstrap.created) {
      banner.push('  First start: created the admin API key given in SPS_ADMIN_KEY.');
    }

    startRetention(config, database, logger, closers);

    return {
      deps: {
        config,
        logger,
        lifecycle: new Lifecycle(),
        version: serviceVersion,
        healthChecks,
        services,
        metrics: observability.metrics,
        tracer: observability.tracer,
      },
      banner,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Purges expired request logs on a timer; safe on many replicas at once (see retention.ts). */
function startRetention(
  config: Readonly<Config>,
  database: Parameters<typeof purgeExpired>[0],
  logger: Logger,
  closers: Array<() => Promise<unknown>>,
) {
  let running: Promise<unknown> | undefined;
  const run = () => {
    if (running) return;
    running = purgeExpired(database, { retentionDays: config.requestLogs.retentionDays })
      .then((result) => {
        if (result.requestLogs > 0) logger.info(result, 'purged expired rows');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'retention purge failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, config.requestLogs.purgeIntervalMs);
  timer.unref();
  closers.push(async () => {
    clearInterval(timer);
    await running;
  });
}
