import { jobsEnvSettings } from './jobs-env.ts';
import { requestLogEnvSettings } from './request-log-env.ts';
import { templateEnvSettings } from './templates-env.ts';
import { webhookEnvSettings } from './webhooks-env.ts';

/**
 * Environment variable → config path. The README's configuration table documents exactly these
 * (a unit test keeps the two in step). `list` settings are comma-separated.
 */
export interface EnvSetting {
  env: string;
  path: string;
  description: string;
  list?: boolean;
  secret?: boolean;
  /** Also read the lower-case name, which wins when both are set (as curl and undici read proxies). */
  lowerCaseToo?: boolean;
}

/** How an operator changes a config path, for error messages: `MAX_SCHEMA_DEPTH / limits.maxSchemaDepth`. */
export function settingName(path: string): string {
  const setting = envSettings.find((candidate) => candidate.path === path);
  return setting === undefined ? path : `${setting.env} / ${path}`;
}

export const envSettings: readonly EnvSetting[] = [
  { env: 'NODE_ENV', path: 'environment', description: 'development, production or test' },
  {
    env: 'SPS_CONFIG_FILE',
    path: '',
    description: 'Path of an optional YAML or JSON config file (providers, prices, router)',
  },
  { env: 'HOST', path: 'server.host', description: 'Interface to listen on' },
  { env: 'PORT', path: 'server.port', description: 'TCP port to listen on' },
  {
    env: 'PUBLIC_URL',
    path: 'server.publicUrl',
    description: 'External base URL, used in printed links and the OpenAPI servers list',
  },
  {
    env: 'BODY_LIMIT_BYTES',
    path: 'server.bodyLimitBytes',
    description: 'Largest accepted request body; larger bodies get 413',
  },
  {
    env: 'REQUEST_TIMEOUT_MS',
    path: 'server.requestTimeoutMs',
    description: 'Socket-level timeout for one request',
  },
  {
    env: 'SHUTDOWN_TIMEOUT_MS',
    path: 'server.shutdownTimeoutMs',
    description: 'Longest graceful shutdown before the process exits anyway',
  },
  {
    env: 'TRUST_PROXY',
    path: 'server.trustProxy',
    description:
      '`true`, or a comma list of proxy addresses/CIDRs whose X-Forwarded-For and X-Forwarded-Proto are trusted (HSTS is sent only over https, ADR 0011)',
  },
  {
    env: 'CORS_ORIGINS',
    path: 'server.corsOrigins',
    description: 'Comma list of origins allowed by CORS (empty: CORS off)',
    list: true,
  },
  { env: 'LOG_LEVEL', path: 'log.level', description: 'fatal, error, warn, info, debug, trace or silent' },
  {
    env: 'DATABASE_URL',
    path: 'database.url',
    description: '`sqlite:<file>` (embedded) or `postgres://…`',
    secret: true,
  },
  { env: 'DB_POOL_MAX', path: 'database.poolMax', description: 'PostgreSQL pool size' },
  {
    env: 'DB_CONNECTION_TIMEOUT_MS',
    path: 'database.connectionTimeoutMs',
    description: 'PostgreSQL connect timeout',
  },
  {
    env: 'DB_STATEMENT_TIMEOUT_MS',
    path: 'database.statementTimeoutMs',
    description: 'PostgreSQL statement timeout',
  },
  {
    env: 'MIGRATE_ON_BOOT',
    path: 'database.migrateOnBoot',
    description: 'Apply pending migrations at start',
  },
  {
    env: 'REDIS_URL',
    path: 'redis.url',
    description: 'Redis for the L2 cache, shared limits and key revocation (unset: in-process only)',
    secret: true,
  },
  {
    env: 'REDIS_COMMAND_TIMEOUT_MS',
    path: 'redis.commandTimeoutMs',
    description: 'Per-command Redis timeout; slower means degraded, not stuck',
  },
  {
    env: 'HEALTH_CHECK_TIMEOUT_MS',
    path: 'health.checkTimeoutMs',
    description: 'Time limit of each dependency check in /v1/health',
  },
  {
    env: 'SPS_ADMIN_KEY',
    path: 'auth.adminKey',
    description: 'Admin key to create on first start instead of a random one (`sp_` + 64 hex)',
    secret: true,
  },
  {
    env: 'KEY_CACHE_TTL_MS',
    path: 'auth.keyCacheTtlMs',
    description: 'How long a verified key is cached in memory (at most 5000)',
  },
  {
    env: 'DEFAULT_RATE_LIMIT_PER_HOUR',
    path: 'auth.defaultRateLimitPerHour',
    description: 'Requests per hour for keys created without a limit',
  },
  {
    env: 'IP_REQUESTS_PER_MINUTE',
    path: 'auth.ipRequestsPerMinute',
    description:
      'Unauthenticated requests per client IP per minute (health probes and metrics are not counted)',
  },
  {
    env: 'AUTH_FAILURES_PER_MINUTE',
    path: 'auth.authFailuresPerMinute',
    description: 'Failed authentications per IP per minute before lockout',
  },
  {
    env: 'AUTH_LOCKOUT_SECONDS',
    path: 'auth.authLockoutSeconds',
    description: 'Lockout after too many failed authentications',
  },
  {
    env: 'METRICS_TOKEN',
    path: 'auth.metricsToken',
    description: 'Bearer token required by /v1/metrics (unset: open)',
    secret: true,
  },
  {
    env: 'SUSPICIOUS_INPUT_POLICY',
    path: 'auth.suspiciousInputPolicy',
    description: '`flag` (audit and warn) or `block` (400)',
  },
  { env: 'MAX_PROMPT_CHARS', path: 'limits.maxPromptChars', description: 'Longest accepted prompt' },
  {
    env: 'MAX_SCHEMA_BYTES',
    path: 'limits.maxSchemaBytes',
    description: 'Largest accepted inline JSON Schema, in bytes of its JSON text',
  },
  {
    env: 'MAX_SCHEMA_DEPTH',
    path: 'limits.maxSchemaDepth',
    description: 'Deepest accepted schema nesting, in subschema levels with the root as 1',
  },
  {
    env: 'MAX_ANSWER_CHARS',
    path: 'limits.maxAnswerChars',
    description:
      'Longest answer a schema may require, in characters of JSON; a schema whose smallest valid answer is longer gets 400',
  },
  {
    env: 'MAX_PATTERN_CHARS',
    path: 'limits.maxPatternChars',
    description: 'Longest accepted regular expression in a schema (`pattern`, `patternProperties`)',
  },
  {
    env: 'MAX_PATTERN_INPUT_CHARS',
    path: 'limits.maxPatternInputChars',
    description: 'Longest string a schema pattern is matched against; a longer one does not match',
  },
  {
    env: 'MAX_BATCH_ITEMS',
    path: 'limits.maxBatchItems',
    description: 'Most items in one batch request (`/v1/analyze/batch`) or cache-warming run',
  },
  {
    env: 'BATCH_CONCURRENCY',
    path: 'limits.batchConcurrency',
    description: 'Items of one batch request computed at the same time (cache misses only)',
  },
  ...webhookEnvSettings,
  ...requestLogEnvSettings,
  { env: 'CACHE_ENABLED', path: 'cache.enabled', description: 'Response cache on or off' },
  {
    env: 'CACHE_TTL_SECONDS',
    path: 'cache.ttlSeconds',
    description: 'Default lifetime of a cached response',
  },
  { env: 'CACHE_L1_MAX_ENTRIES', path: 'cache.l1MaxEntries', description: 'In-process cache entries' },
  { env: 'CACHE_L1_MAX_BYTES', path: 'cache.l1MaxBytes', description: 'In-process cache size in bytes' },
  {
    env: 'CACHE_LOWERCASE_PROMPTS',
    path: 'cache.lowercasePrompts',
    description: 'Ignore letter case in cache keys (can change answers)',
  },
  {
    env: 'MAX_REPAIR_ATTEMPTS',
    path: 'analyze.maxRepairAttempts',
    description: 'Default re-asks after an invalid answer',
  },
  {
    env: 'REQUEST_DEADLINE_MS',
    path: 'analyze.requestDeadlineMs',
    description: 'Overall deadline of one analyze request across retries and fallbacks',
  },
  ...templateEnvSettings,
  ...jobsEnvSettings,
  {
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    path: 'telemetry.otlpEndpoint',
    description: 'OTLP/HTTP endpoint; tracing is on when set',
  },
  {
    env: 'OPENAI_API_KEY',
    path: 'providers.openaiApiKey',
    description: 'Enables the OpenAI provider',
    secret: true,
  },
  { env: 'OPENAI_BASE_URL', path: 'providers.openaiBaseUrl', description: 'OpenAI API base URL' },
  {
    env: 'ANTHROPIC_API_KEY',
    path: 'providers.anthropicApiKey',
    description: 'Enables the Anthropic provider',
    secret: true,
  },
  { env: 'ANTHROPIC_BASE_URL', path: 'providers.anthropicBaseUrl', description: 'Anthropic API base URL' },
  {
    env: 'GEMINI_API_KEY',
    path: 'providers.geminiApiKey',
    description: 'Enables the Google Gemini provider',
    secret: true,
  },
  { env: 'GEMINI_BASE_URL', path: 'providers.geminiBaseUrl', description: 'Gemini API base URL' },
  {
    env: 'OPENAI_COMPATIBLE_BASE_URL',
    path: 'providers.openaiCompatibleBaseUrl',
    description: 'Enables an OpenAI-compatible server (Ollama, vLLM, LM Studio, Groq …)',
  },
  {
    env: 'OPENAI_COMPATIBLE_API_KEY',
    path: 'providers.openaiCompatibleApiKey',
    description: 'API key of that server, if it needs one',
    secret: true,
  },
  {
    env: 'OPENAI_COMPATIBLE_MODEL',
    path: 'providers.openaiCompatibleModel',
    description: 'Model name on that server',
  },
  {
    env: 'LOCAL_MODEL_PATH',
    path: 'providers.localModelPath',
    description: 'GGUF file to run in-process (enables the local provider)',
  },
  { env: 'ROUTER_STRATEGY', path: 'router.strategy', description: 'least-busy, cost, latency or priority' },
  {
    env: 'HTTPS_PROXY',
    path: 'transport.httpsProxy',
    description: 'Proxy for https:// vendor URLs (CONNECT tunnel); `https_proxy` also works',
    secret: true,
    lowerCaseToo: true,
  },
  {
    env: 'HTTP_PROXY',
    path: 'transport.httpProxy',
    description:
      'Proxy for http:// vendor URLs, and for https:// ones when HTTPS_PROXY is unset; `http_proxy` also works',
    secret: true,
    lowerCaseToo: true,
  },
  {
    env: 'NO_PROXY',
    path: 'transport.noProxy',
    description:
      'Comma list of hosts reached without the proxy (`host`, `.domain`, `host:port`, `*`); `no_proxy` also works',
    lowerCaseToo: true,
  },
  {
    env: 'PROVIDER_CA_FILE',
    path: 'transport.caFile',
    description: 'PEM file of certificate authorities trusted for vendor calls, besides the default ones',
  },
  {
    env: 'PROVIDER_CONNECTIONS_PER_ORIGIN',
    path: 'transport.connectionsPerOrigin',
    description: 'Most connections open at once to one vendor origin (unset: no limit); more calls wait',
  },
];
