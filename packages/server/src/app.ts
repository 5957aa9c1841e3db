import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem } from '@structured-prompt/contracts';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { AppDependencies } from './app-dependencies.ts';
import type { AppInstance } from './app-instance.ts';
import { AppError } from './errors/app-error.ts';
import { HealthService } from './modules/health/health.service.ts';
import { apiDocsPlugin } from './plugins/api-docs.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { generateRequestId, requestIdHeader } from './plugins/request-id.ts';
import { securityPlugin } from './plugins/security.ts';
import { rootRoute } from './routes/root.route.ts';
import { healthRoutes } from './routes/v1/health/health.routes.ts';

/**
 * Builds the Fastify app from its dependencies. Never listens: the process entry (`server.ts`) does,
 * and tests call `app.inject()` on what this returns.
 */
export async function buildApp(deps: AppDependencies): Promise<AppInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: generateRequestId,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: config.server.bodyLimitBytes,
    requestTimeout: config.server.requestTimeoutMs,
    trustProxy: config.server.trustProxy,
    // Reject prototype-pollution payloads outright instead of silently stripping them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: false,
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema({ ...Problem, $id: 'Problem' });
  // The API speaks JSON only; any other body type is a 415, not a string the schema then rejects.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request, reply) => {
    reply.header(requestIdHeader, request.id);
    if (deps.lifecycle.state === 'stopping' && request.url !== '/v1/health/live') {
      reply.header('connection', 'close');
      throw new AppError('service_unavailable', 'The service is shutting down; retry on another instance.', {
        headers: { 'retry-after': '1' },
      });
    }
  });

  await app.register(errorHandlerPlugin);
  await app.register(securityPlugin, { corsOrigins: config.server.corsOrigins });
  await app.register(apiDocsPlugin, { version: deps.version, publicUrl: config.server.publicUrl });

  const health = new HealthService({
    checks: deps.healthChecks,
    lifecycle: deps.lifecycle,
    version: deps.version,
    checkTimeoutMs: config.health.checkTimeoutMs,
    logger: deps.logger,
  });

  rootRoute(app, deps.version);
  healthRoutes(app, health);

  return app;
}
