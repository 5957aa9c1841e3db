import type { LanguageDetector, ProviderGateway, ProviderStatus } from '@structured-prompt/gateway';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import { AnalyzeService } from './features/analyze/analyze.service.ts';
import type { AnalyzeObserver } from './features/analyze/analyze-observer.ts';
import { SchemaDialects } from './features/analyze/schema-dialects.ts';
import { SchemaGuard } from './features/analyze/schema-guard.ts';
import { traceValidators } from './features/analyze/traced-validators.ts';
import { ValidatorCache } from './features/analyze/validator-cache.ts';
import { ApiKeyUsageRepository } from './features/api-keys/api-key-usage.repository.ts';
import { ApiKeysRepository } from './features/api-keys/api-keys.repository.ts';
import { ApiKeysService } from './features/api-keys/api-keys.service.ts';
import { KeyVerifier } from './features/api-keys/key-verifier.ts';
import { AuditService } from './features/audit-logs/audit.service.ts';
import { AuditLogsRepository } from './features/audit-logs/audit-logs.repository.ts';
import type { ResponseCache } from './features/cache/create-response-cache.ts';
import type { ResponseCacheService } from './features/cache/response-cache.service.ts';
import type { JobQueue } from './platform/job-queue/job-queue.ts';
import type { KeyInvalidationBus } from './platform/key-bus/key-invalidation-bus.ts';
import type { BudgetLedger } from './platform/limits/budget-ledger.ts';
import { LimitsService } from './platform/limits/limits.service.ts';
import type { RateLimitStore } from './platform/limits/rate-limit-store.ts';
import type { Tracer } from './platform/observability/tracing.ts';
import { type RequestLogSink, RequestLogWriter } from './platform/request-log/request-log-writer.ts';
import { RequestLogsRepository } from './platform/request-log/request-logs.repository.ts';
import { SqliteLogThread } from './platform/request-log/sqlite-log-thread.ts';
import type { Database } from './platform/storage/database.ts';

/** The router as the app sees it: the pipeline's gateway plus status for the providers route. */
export interface GatewayPort extends ProviderGateway {
  listProviderStatus(): ProviderStatus[];
  close(): Promise<void>;
}

/** The infrastructure parts: real ones at boot, real or in-memory ones in tests. */
export interface Infrastructure {
  database: Database;
  rateLimits: RateLimitStore;
  budgets: BudgetLedger;
  keyBus: KeyInvalidationBus;
  /** The provider router (real providers, fake-server-backed ones, or the heuristic alone). */
  gateway: GatewayPort;
  /** L1 memory + optional L2 Redis response cache. */
  responseCache: ResponseCache;
  /** Shared Redis client when `REDIS_URL` is set. */
  redis?: Redis;
  /** The language model, loaded once at start; detection is synchronous afterwards. */
  languageDetector: LanguageDetector;
  /** Where job items wait for a worker: the database, BullMQ or RabbitMQ (`JOB_QUEUE`). */
  jobQueue: JobQueue;
}

/** Services with the rules; routes call these and nothing below them. */
export interface Services {
  apiKeysRepository: ApiKeysRepository;
  apiKeys: ApiKeysService;
  audit: AuditService;
  limits: LimitsService;
  verifier: KeyVerifier;
  analyze: AnalyzeService;
  cache: ResponseCacheService;
  gateway: GatewayPort;
  logWriter: RequestLogWriter;
}

export interface ServiceHooks {
  analyzeObserver?: AnalyzeObserver;
  tracer?: Tracer;
}

export function buildServices(
  infra: Infrastructure,
  config: Readonly<Config>,
  logger: Logger,
  hooks: ServiceHooks = {},
): Services {
  const apiKeysRepository = new ApiKeysRepository(infra.database);
  const apiKeyUsage = new ApiKeyUsageRepository(infra.database);
  const audit = new AuditService(new AuditLogsRepository(infra.database), logger);
  const verifier = new KeyVerifier({
    repository: apiKeysRepository,
    bus: infra.keyBus,
    cacheTtlMs: config.auth.keyCacheTtlMs,
  });
  const limits = new LimitsService({
    store: infra.rateLimits,
    ledger: infra.budgets,
    auth: config.auth,
    monthSpendUsd: async (keyId) => (await apiKeyUsage.forKey(keyId)).costThisMonthUsd,
  });
  const apiKeys = new ApiKeysService({
    repository: apiKeysRepository,
    usage: apiKeyUsage,
    audit,
    bus: infra.keyBus,
    defaultRateLimitPerHour: config.auth.defaultRateLimitPerHour,
  });
  const { tracer } = hooks;
  const sink = requestLogSink(infra.database, config);
  const logWriter = new RequestLogWriter({
    sink: tracer
      ? {
          insertMany: (entries) => tracer.dbWrite('request_logs', () => sink.insertMany(entries)),
          close: () => sink.close?.() ?? Promise.resolve(),
        }
      : sink,
    logger,
    batchSize: config.requestLogs.batchSize,
    flushIntervalMs: config.requestLogs.flushIntervalMs,
    bufferLimit: config.requestLogs.bufferLimit,
  });
  const dialects = new SchemaDialects();
  const validators = new ValidatorCache({ maxEntries: config.analyze.validatorCacheSize, dialects });
  const analyze = new AnalyzeService({
    config,
    gateway: infra.gateway,
    languageDetector: infra.languageDetector,
    validators: tracer?.enabled ? traceValidators(validators, tracer) : validators,
    schemaGuard: new SchemaGuard(config.limits, dialects),
    cache: infra.responseCache.service,
    limits,
    audit,
    logWriter,
    logger,
    observer: hooks.analyzeObserver,
    tracer,
  });
  return {
    apiKeysRepository,
    apiKeys,
    audit,
    limits,
    verifier,
    analyze,
    cache: infra.responseCache.service,
    gateway: infra.gateway,
    logWriter,
  };
}

/** A SQLite file gets its log inserts off the event loop; PostgreSQL already does its work elsewhere. */
function requestLogSink(database: Database, config: Readonly<Config>): RequestLogSink {
  if (database.dialect === 'sqlite' && database.file !== undefined && config.requestLogs.writerThread) {
    return new SqliteLogThread({ file: database.file, busyTimeoutMs: config.database.connectionTimeoutMs });
  }
  return new RequestLogsRepository(database);
}
