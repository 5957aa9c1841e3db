import { type Static, Type } from 'typebox';
import { ProvidersSection, RouterSection } from './providers-section.ts';
import { TransportSection } from './transport-section.ts';

/**
 * Every setting of the service. Defaults here are the embedded, zero-setup defaults; descriptions
 * are what the README's configuration table says. Environment variables map onto these paths in
 * `env-mapping.ts`; structured settings (providers, prices) come from the optional config file.
 */
const Section = <T extends Record<string, Type.TSchema>>(properties: T) =>
  Type.Object(properties, { default: {}, additionalProperties: false });

export const ConfigSchema = Type.Object(
  {
    environment: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
      default: 'development',
    }),
    server: Section({
      host: Type.String({ default: '127.0.0.1', minLength: 1 }),
      port: Type.Integer({ default: 8000, minimum: 0, maximum: 65535 }),
      publicUrl: Type.Optional(Type.String({ format: 'uri' })),
      bodyLimitBytes: Type.Integer({ default: 1_048_576, minimum: 1024 }),
      requestTimeoutMs: Type.Integer({ default: 120_000, minimum: 1000 }),
      shutdownTimeoutMs: Type.Integer({ default: 10_000, minimum: 100 }),
      trustProxy: Type.Union([Type.Boolean(), Type.String()], { default: false }),
      corsOrigins: Type.Array(Type.String(), { default: [] }),
    }),
    log: Section({
      level: Type.Union(
        [
          Type.Literal('fatal'),
          Type.Literal('error'),
          Type.Literal('warn'),
          Type.Literal('info'),
          Type.Literal('debug'),
          Type.Literal('trace'),
          Type.Literal('silent'),
        ],
        { default: 'info' },
      ),
    }),
    database: Section({
      url: Type.String({ default: 'sqlite:./data/sps.db', pattern: '^(sqlite:|postgres://|postgresql://)' }),
      poolMax: Type.Integer({ default: 10, minimum: 1, maximum: 500 }),
      connectionTimeoutMs: Type.Integer({ default: 5000, minimum: 100 }),
      statementTimeoutMs: Type.Integer({ default: 30_000, minimum: 100 }),
      migrateOnBoot: Type.Boolean({ default: true }),
    }),
    redis: Section({
      url: Type.Optional(Type.String({ pattern: '^rediss?://' })),
      commandTimeoutMs: Type.Integer({ default: 500, minimum: 10 }),
    }),
    health: Section({
      checkTimeoutMs: Type.Integer({ default: 1000, minimum: 10, maximum: 30_000 }),
    }),
    auth: Section({
      adminKey: Type.Optional(Type.String({ pattern: '^sp_[0-9a-f]{64}$' })),
      keyCacheTtlMs: Type.Integer({ default: 3000, minimum: 0, maximum: 5000 }),
      defaultRateLimitPerHour: Type.Integer({ default: 1000, minimum: 1 }),
      ipRequestsPerMinute: Type.Integer({ default: 120, minimum: 1 }),
      authFailuresPerMinute: Type.Integer({ default: 10, minimum: 1 }),
      authLockoutSeconds: Type.Integer({ default: 300, minimum: 1 }),
      metricsToken: Type.Optional(Type.String({ minLength: 16 })),
      suspiciousInputPolicy: Type.Union([Type.Literal('flag'), Type.Literal('block')], { default: 'flag' }),
    }),
    limits: Section({
      maxPromptChars: Type.Integer({ default: 10_000, minimum: 1 }),
      maxSchemaBytes: Type.Integer({ default: 51_200, minimum: 64 }),
      maxSchemaDepth: Type.Integer({ default: 10, minimum: 1 }),
      maxAnswerChars: Type.Integer({ default: 100_000, minimum: 1000 }),
      maxPatternChars: Type.Integer({ default: 1000, minimum: 16 }),
      maxPatternInputChars: Type.Integer({ default: 100_000, minimum: 100 }),
      maxBatchItems: Type.Integer({ default: 100, minimum: 1 }),
      batchConcurrency: Type.Integer({ default: 16, minimum: 1, maximum: 100 }),
    }),
    webhooks: Section({
      deliver: Type.Boolean({ default: true }),
      allowHttp: Type.Boolean({ default: false }),
      allowedCidrs: Type.Array(Type.String({ pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' }), { default: [] }),
      timeoutMs: Type.Integer({ default: 10_000, minimum: 100, maximum: 60_000 }),
      retryScheduleSeconds: Type.Array(Type.Integer({ minimum: 0 }), {
        default: [5, 300, 1800, 7200, 18_000, 36_000, 36_000],
        maxItems: 20,
      }),
      disableAfterHours: Type.Integer({ default: 120, minimum: 1 }),
      pollIntervalMs: Type.Integer({ default: 1000, minimum: 10 }),
      concurrency: Type.Integer({ default: 10, minimum: 1, maximum: 200 }),
    }),
    requestLogs: Section({
      retentionDays: Type.Integer({ default: 30, minimum: 1 }),
      batchSize: Type.Integer({ default: 200, minimum: 1 }),
      flushIntervalMs: Type.Integer({ default: 500, minimum: 10 }),
      bufferLimit: Type.Integer({ default: 50_000, minimum: 100 }),
      writerThread: Type.Boolean({ default: true }),
      journal: Type.Boolean({ default: true }),
      journalDir: Type.Optional(Type.String({ minLength: 1 })),
      journalFsync: Type.Union([Type.Literal('always'), Type.Literal('batch'), Type.Literal('off')], {
        default: 'batch',
      }),
      purgeIntervalMs: Type.Integer({ default: 3_600_000, minimum: 1000 }),
      storePrompts: Type.Boolean({ default: true }),
    }),
    retention: Section({
      promptDays: Type.Optional(Type.Integer({ minimum: 1 })),
      auditLogDays: Type.Integer({ default: 365, minimum: 1 }),
      jobResultDays: Type.Integer({ default: 30, minimum: 1 }),
      webhookDeliveryDays: Type.Integer({ default: 30, minimum: 1 }),
    }),
    cache: Section({
      enabled: Type.Boolean({ default: true }),
      ttlSeconds: Type.Integer({ default: 3600, minimum: 1 }),
      l1MaxEntries: Type.Integer({ default: 10_000, minimum: 1 }),
      l1MaxBytes: Type.Integer({ default: 64 * 1024 * 1024, minimum: 1024 }),
      compressThresholdBytes: Type.Integer({ default: 1024, minimum: 0 }),
      lowercasePrompts: Type.Boolean({ default: false }),
    }),
    analyze: Section({
      maxRepairAttempts: Type.Integer({ default: 2, minimum: 0, maximum: 10 }),
      requestDeadlineMs: Type.Integer({ default: 60_000, minimum: 100 }),
      validatorCacheSize: Type.Integer({ default: 500, minimum: 1 }),
    }),
    templates: Section({
      maxTemplateChars: Type.Integer({ default: 20_000, minimum: 1, maximum: 1_000_000 }),
      renderTimeoutMs: Type.Integer({ default: 200, minimum: 1, maximum: 10_000 }),
      maxOutputChars: Type.Integer({ default: 50_000, minimum: 1, maximum: 10_000_000 }),
      cacheTtlMs: Type.Integer({ default: 30_000, minimum: 0, maximum: 3_600_000 }),
    }),
    jobs: Section({
      queue: Type.Union([Type.Literal('embedded'), Type.Literal('bullmq'), Type.Literal('rabbitmq')], {
        default: 'embedded',
      }),
      amqpUrl: Type.Optional(Type.String({ pattern: '^amqps?://' })),
      queuePrefix: Type.String({ default: 'sps', pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
      workerInProcess: Type.Optional(Type.Boolean()),
      concurrency: Type.Integer({ default: 4, minimum: 1, maximum: 256 }),
      maxItems: Type.Integer({ default: 10_000, minimum: 1, maximum: 10_000 }),
      bodyLimitBytes: Type.Integer({ default: 16 * 1024 * 1024, minimum: 1024 }),
      resultTtlHours: Type.Number({ default: 24, exclusiveMinimum: 0 }),
      maxRetries: Type.Integer({ default: 3, minimum: 0, maximum: 3 }),
      retryBaseMs: Type.Integer({ default: 1000, minimum: 10 }),
      leaseMs: Type.Integer({ default: 30_000, minimum: 500 }),
      pollIntervalMs: Type.Integer({ default: 250, minimum: 10 }),
      requeueAfterMs: Type.Integer({ default: 600_000, minimum: 1000 }),
      idempotencyTtlHours: Type.Number({ default: 24, exclusiveMinimum: 0 }),
    }),
    telemetry: Section({
      otlpEndpoint: Type.Optional(Type.String({ format: 'uri' })),
      serviceName: Type.String({ default: 'structured-prompt-service' }),
    }),
    providers: ProvidersSection,
    router: RouterSection,
    transport: TransportSection,
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
