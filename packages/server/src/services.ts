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
import { BatchService } from './features/batch/batch.service.ts';
import type { ResponseCache } from './features/cache/create-response-cache.ts';
import type { ResponseCacheService } from './features/cache/response-cache.service.ts';
import { ErasureRepository } from './features/history/erasure.repository.ts';
import { ErasureService } from './features/history/erasure.service.ts';
import { HistoryRepository } from './features/history/history.repository.ts';
import { HistoryService } from './features/history/history.service.ts';
import { ReplayService } from './features/history/replay.service.ts';
import { SchemaRegistry } from './features/schemas/schema-registry.ts';
import { SchemasRepository } from './features/schemas/schemas.repository.ts';
import { SchemasService } from './features/schemas/schemas.service.ts';
import { TemplateCache } from './features/templates/template-cache.ts';
import { type LinkedSchemaResolver, TemplateExpander } from './features/templates/template-expansion.ts';
import { TemplateRenderer } from './features/templates/template-renderer.ts';
import { TemplatesRepository } from './features/templates/templates.repository.ts';
import { TemplatesService } from './features/templates/templates.service.ts';
import { UsageRepository } from './features/usage/usage.repository.ts';
import { UsageService } from './features/usage/usage.service.ts';
import { createWebhooks, type Webhooks, withAccountEvents } from './features/webhooks/create-webhooks.ts';
import type { JobQueue } from './platform/job-queue/job-queue.ts';
import type { KeyInvalidationBus } from './platform/key-bus/key-invalidation-bus.ts';
import type { BudgetLedger } from './platform/limits/budget-ledger.ts';
import { LimitsService } from './platform/limits/limits.service.ts';
import type { RateLimitStore } from './platform/limits/rate-limit-store.ts';
import type { Tracer } from './platform/observability/tracing.ts';
import type { WebhookMetrics } from './platform/observability/webhook-metrics.ts';
import { buildLogWriter } from './platform/request-log/create-log-writer.ts';
import type { RequestLogWriter } from './platform/request-log/request-log-writer.ts';
import { DataLifecycle } from './platform/storage/data-lifecycle.ts';
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
  /** Announces schema registry changes to every replica (`schema:<id>`); templates may share it. */
  registryBus: KeyInvalidationBus;
  /** Tells every replica that a prompt template changed. */
  templateBus: KeyInvalidationBus;
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
  apiKeyUsage: ApiKeyUsageRepository;
  audit: AuditService;
  limits: LimitsService;
  verifier: KeyVerifier;
  analyze: AnalyzeService;
  batch: BatchService;
  schemasRepository: SchemasRepository;
  schemaRegistry: SchemaRegistry;
  schemas: SchemasService;
  cache: ResponseCacheService;
  gateway: GatewayPort;
  logWriter: RequestLogWriter;
  templates: TemplatesService;
  templatesRepository: TemplatesRepository;
  webhooks: Webhooks;
  history: HistoryService;
  replay: ReplayService;
  usage: UsageService;
  erasure: ErasureService;
  /** Data classes of features (job results, …) register their retention rules and erasure hooks here. */
  dataLifecycle: DataLifecycle;
}

export interface ServiceHooks {
  analyzeObserver?: AnalyzeObserver;
  tracer?: Tracer;
  /** Resolves the schema a prompt template links to; without it such templates need an inline schema. */
  schemaResolver?: LinkedSchemaResolver;
  webhookMetrics?: WebhookMetrics;
}

export function buildServices(
  infra: Infrastructure,
  config: Readonly<Config>,
  logger: Logger,
  hooks: ServiceHooks = {},
): Services {
  const audit = new AuditService(new AuditLogsRepository(infra.database), logger);
  const keys = keyServices(infra, config, audit);
  const { limits } = keys;
  const { tracer } = hooks;
  const webhooks = createWebhooks({
    database: infra.database,
    config,
    logger,
    audit,
    metrics: hooks.webhookMetrics,
  });
  const logWriter = buildLogWriter(infra.database, config, logger, tracer);
  const dialects = new SchemaDialects();
  const validators = new ValidatorCache({
    maxEntries: config.analyze.validatorCacheSize,
    dialects,
    maxPatternInputChars: config.limits.maxPatternInputChars,
  });
  const schemaGuard = new SchemaGuard(config.limits, dialects);
  const registry = schemaServices(infra, schemaGuard, validators, audit);
  const { templates, templatesRepository } = buildTemplates(infra, config, validators, audit);
  const analyze = new AnalyzeService({
    config,
    schemaRegistry: registry.schemaRegistry,
    gateway: infra.gateway,
    languageDetector: infra.languageDetector,
    validators: tracer?.enabled ? traceValidators(validators, tracer) : validators,
    schemaGuard,
    cache: infra.responseCache.service,
    limits,
    audit,
    logWriter,
    logger,
    observer: withAccountEvents(hooks.analyzeObserver, webhooks.accountEvents, logger),
    tracer,
    templates: new TemplateExpander({
      templates,
      schemaResolver: hooks.schemaResolver ?? linkedSchemaOf(registry.schemaRegistry),
    }),
  });
  return {
    ...keys,
    audit,
    analyze,
    batch: batchService(analyze, limits, infra, config, logger),
    ...registry,
    cache: infra.responseCache.service,
    gateway: infra.gateway,
    logWriter,
    templates,
    templatesRepository,
    webhooks,
    ...historyServices(infra, analyze, audit),
  };
}

/** API keys: the repository, the cached verifier, limits and budgets, and the key rules. */
function keyServices(infra: Infrastructure, config: Readonly<Config>, audit: AuditService) {
  const apiKeysRepository = new ApiKeysRepository(infra.database);
  const apiKeyUsage = new ApiKeyUsageRepository(infra.database);
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
  return { apiKeysRepository, apiKeys, apiKeyUsage, limits, verifier };
}

function batchService(
  analyze: AnalyzeService,
  limits: LimitsService,
  infra: Infrastructure,
  config: Readonly<Config>,
  logger: Logger,
): BatchService {
  const { batchConcurrency } = config.limits;
  return new BatchService({
    analyze,
    limits,
    cache: infra.responseCache.service,
    concurrency: batchConcurrency,
    logger,
  });
}

/** The schema registry: its repository, the cached resolver every feature uses, and its rules. */
function schemaServices(
  infra: Infrastructure,
  guard: SchemaGuard,
  validators: ValidatorCache,
  audit: AuditService,
) {
  const schemasRepository = new SchemasRepository(infra.database);
  const schemaRegistry = new SchemaRegistry({ repository: schemasRepository, bus: infra.registryBus });
  const schemas = new SchemasService({
    repository: schemasRepository,
    registry: schemaRegistry,
    guard,
    validators,
    providers: infra.gateway,
    audit,
  });
  return { schemasRepository, schemaRegistry, schemas };
}

/** A template's linked schema, resolved by the schema registry with the caller's visibility. */
function linkedSchemaOf(registry: SchemaRegistry): LinkedSchemaResolver {
  return async (ref, caller) =>
    (await registry.resolve(ref.version ? `${ref.id}@${ref.version}` : ref.id, caller)).schema;
}

/** Prompt templates: the repository, the strict renderer, and the cache every replica invalidates. */
function buildTemplates(
  infra: Infrastructure,
  config: Readonly<Config>,
  validators: ValidatorCache,
  audit: AuditService,
) {
  const templatesRepository = new TemplatesRepository(infra.database);
  const templates = new TemplatesService({
    repository: templatesRepository,
    renderer: new TemplateRenderer(config.templates),
    validators,
    cache: new TemplateCache({ bus: infra.templateBus, ttlMs: config.templates.cacheTtlMs }),
    audit,
  });
  return { templates, templatesRepository };
}

/** Request history, replay, usage analytics and erasure, over the request logs and their rollups. */
function historyServices(infra: Infrastructure, analyze: AnalyzeService, audit: AuditService) {
  const history = new HistoryService(new HistoryRepository(infra.database));
  const dataLifecycle = new DataLifecycle();
  return {
    history,
    replay: new ReplayService(history, analyze),
    usage: new UsageService(new UsageRepository(infra.database)),
    erasure: new ErasureService({
      repository: new ErasureRepository(infra.database),
      history,
      cache: infra.responseCache.service,
      lifecycle: dataLifecycle,
      audit,
    }),
    dataLifecycle,
  };
}
