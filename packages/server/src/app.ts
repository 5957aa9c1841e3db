import compress from '@fastify/compress';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem } from '@structured-prompt/contracts';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { AppContext } from './context.ts';
import { analyzeRoutes } from './features/analyze/analyze.route.ts';
import { apiKeysRoutes } from './features/api-keys/api-keys.route.ts';
import { usageResetRoute } from './features/api-keys/usage-reset.ts';
import { auditLogsRoutes } from './features/audit-logs/audit-logs.route.ts';
import { batchRoutes } from './features/batch/batch.route.ts';
import { cacheRoutes } from './features/cache/cache.route.ts';
import { dashboardRoutes, defaultDashboardDir } from './features/dashboard/dashboard.route.ts';
import { healthRoutes } from './features/health/health.route.ts';
import { HealthService } from './features/health/health.service.ts';
import { erasureRoutes } from './features/history/erasure.route.ts';
import { requestsRoutes } from './features/history/requests.route.ts';
import { deadLettersRoutes } from './features/jobs/dead-letters.route.ts';
import { jobsRoutes } from './features/jobs/jobs.route.ts';
import { metricsRoutes } from './features/metrics/metrics.route.ts';
import { ChatCompletionsService } from './features/openai-compat/chat-completions.service.ts';
import { openAiCompatRoutes } from './features/openai-compat/openai-compat.route.ts';
import { providersRoutes } from './features/providers/providers.route.ts';
import { rootRoute } from './features/root/root.route.ts';
import { schemasRoutes } from './features/schemas/schemas.route.ts';
import { templatesRoutes } from './features/templates/templates.route.ts';
import { usageRoutes } from './features/usage/usage.route.ts';
import { webhooksRoutes } from './features/webhooks/webhooks.route.ts';
import type { AppInstance } from './http/app-instance.ts';
import { answerClientError } from './http/client-error.ts';
import { accessLogPlugin } from './http/plugins/access-log.ts';
import { apiDocsPlugin } from './http/plugins/api-docs.ts';
import { authPlugin } from './http/plugins/auth.ts';
import { errorHandlerPlugin } from './http/plugins/error-handler.ts';
import { httpMetricsPlugin } from './http/plugins/http-metrics.ts';
import { httpTracingPlugin } from './http/plugins/http-tracing.ts';
import { idempotencyPlugin } from './http/plugins/idempotency.ts';
import { generateRequestId, requestIdHeader } from './http/plugins/request-id.ts';
import { securityPlugin } from './http/plugins/security.ts';
import { strictJsonPlugin } from './http/plugins/strict-json.ts';
import { createValidatorCompiler } from './http/plugins/validator-compiler.ts';
import { AppError } from './lib/app-error.ts';

export interface RouteCatalogEntry {
  method: string;
  url: string;
  /** Undefined: the default (`user`), or public for the docs pages; see `authLevelOf`. */
  auth: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: RouteCatalogEntry[];
  }
}

/**
 * Builds the Fastify app from its dependencies. Never listens: the process entry (`main.ts`) does,
 * and tests call `app.inject()` on what this returns.
 */
export async function buildApp(deps: AppContext): Promise<AppInstance> {
  const app = createFastify(deps);
  recordRouteCatalog(app);
  await registerRequestHandling(app, deps);
  await registerPlugins(app, deps);
  registerFeatures(app, deps);
  return app;
}

function createFastify({ config, logger }: AppContext): AppInstance {
  return Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: generateRequestId,
    // The access-log plugin writes the request's line, naming the key and route (access-log.ts).
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    requestTimeout: config.server.requestTimeoutMs,
    trustProxy: config.server.trustProxy,
    // Reject prototype-pollution payloads outright instead of silently stripping them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    // `/v1/analyze/` and `/v1/api-keys/` answer like the canonical paths, as the documented API did.
    routerOptions: { ignoreTrailingSlash: true },
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/** Every route with its auth level, so the shared security test can walk all of them. */
function recordRouteCatalog(app: AppInstance): void {
  const routeCatalog: RouteCatalogEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routeCatalog.push({ method, url: route.url, auth: route.config?.auth });
  });
  app.decorate('routeCatalog', routeCatalog);
}

/** Validation, JSON-only bodies, the request id on every answer, and refusal while shutting down. */
async function registerRequestHandling(app: AppInstance, deps: AppContext): Promise<void> {
  app.setValidatorCompiler(createValidatorCompiler());
  app.addSchema({ ...Problem, $id: 'Problem' });
  // The API speaks JSON only; any other body type is a 415, not a string the schema then rejects.
  app.removeContentTypeParser('text/plain');
  await app.register(strictJsonPlugin);

  // How long the service took, on every answer (also on errors and streamed exports, at their start).
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-response-time', `${reply.elapsedTime.toFixed(2)}ms`);
    return payload;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header(requestIdHeader, request.id);
    if (deps.lifecycle.state === 'stopping' && request.url !== '/v1/health/live') {
      reply.header('connection', 'close');
      throw new AppError('service_unavailable', 'The service is shutting down; retry on another instance.', {
        headers: { 'retry-after': '1' },
      });
    }
  });
}

/** External plugins (tracing, metrics, errors, security headers, docs), then authentication. */
async function registerPlugins(app: AppInstance, deps: AppContext): Promise<void> {
  const { config, services } = deps;
  await app.register(accessLogPlugin);
  await app.register(httpTracingPlugin, { tracer: deps.tracer });
  await app.register(httpMetricsPlugin, { metrics: deps.metrics });
  await app.register(errorHandlerPlugin);
  await app.register(securityPlugin, { corsOrigins: config.server.corsOrigins });
  // gzip or br (by Accept-Encoding) for answers over 1 KB: history pages, exports, the OpenAPI spec.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(apiDocsPlugin, { version: deps.version, publicUrl: config.server.publicUrl });
  await app.register(authPlugin, {
    verifier: services.verifier,
    limits: services.limits,
    audit: services.audit,
    keys: services.apiKeysRepository,
    metricsToken: config.auth.metricsToken,
    metrics: deps.metrics,
    tracer: deps.tracer,
  });
  await app.register(idempotencyPlugin, {
    repository: deps.jobs.idempotency,
    ttlMs: config.jobs.idempotencyTtlHours * 3_600_000,
    lockMs: config.server.requestTimeoutMs,
  });
}

function registerFeatures(app: AppInstance, deps: AppContext): void {
  const { config, services } = deps;
  const health = new HealthService({
    checks: deps.healthChecks,
    lifecycle: deps.lifecycle,
    version: deps.version,
    checkTimeoutMs: config.health.checkTimeoutMs,
    logger: deps.logger,
  });
  rootRoute(app, deps.version);
  healthRoutes(app, health);
  analyzeRoutes(app, services.analyze);
  openAiCompatRoutes(
    app,
    new ChatCompletionsService({ analyze: services.analyze, gateway: services.gateway }),
  );
  batchRoutes(app, { service: services.batch, maxItems: config.limits.maxBatchItems });
  schemasRoutes(app, services.schemas);
  providersRoutes(app, services.gateway, config.router.strategy);
  cacheRoutes(app, {
    cache: services.cache,
    analyze: services.analyze,
    audit: services.audit,
    maxBatchItems: config.limits.maxBatchItems,
  });
  jobsRoutes(app, deps.jobs.service, config.jobs.bodyLimitBytes);
  deadLettersRoutes(app, deps.jobs.service, services.audit);
  apiKeysRoutes(app, services.apiKeys);
  templatesRoutes(app, services.templates);
  webhooksRoutes(app, services.webhooks.service);
  usageResetRoute(app, {
    repository: services.apiKeysRepository,
    usage: services.apiKeyUsage,
    limits: services.limits,
    audit: services.audit,
  });
  auditLogsRoutes(app, services.audit);
  requestsRoutes(app, services);
  usageRoutes(app, services.usage);
  erasureRoutes(app, services.erasure);
  metricsRoutes(app, deps.metrics);
  app.register(dashboardRoutes, { dir: defaultDashboardDir() });
}
