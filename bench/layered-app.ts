/**
 * The service's inbound HTTP layer rebuilt one layer at a time, for `npm run bench:layers`. Every
 * layer up to 7 answers `POST /v1/analyze` with the same fixed analyze answer, so the difference
 * between two layers is what the added plugin costs per request. Layer 8 answers through the real
 * analyze service (from its cache), layer 9 is the real app as `server.ts` builds it.
 *
 *   node bench/layered-app.ts <layer 0-9> <port> <fake provider base URL> <admin key>
 *
 * LAYER_ENV (JSON) adds settings to the service of layers 6–9.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { AnalyzeRequest, AnalyzeResponse } from '../packages/contracts/src/index.ts';
import { buildApp } from '../packages/server/src/app.ts';
import { loadConfig } from '../packages/server/src/config/index.ts';
import { createRuntime } from '../packages/server/src/context.ts';
import { authPlugin } from '../packages/server/src/http/plugins/auth.ts';
import { httpMetricsPlugin } from '../packages/server/src/http/plugins/http-metrics.ts';
import { withLazyRequestChildren } from '../packages/server/src/http/plugins/lazy-request-logger.ts';
import { generateRequestId, requestIdHeader } from '../packages/server/src/http/plugins/request-id.ts';
import { securityPlugin } from '../packages/server/src/http/plugins/security.ts';
import { strictJsonPlugin } from '../packages/server/src/http/plugins/strict-json.ts';
import { createValidatorCompiler } from '../packages/server/src/http/plugins/validator-compiler.ts';
import { createLogger } from '../packages/server/src/lib/logger.ts';
import { Metrics } from '../packages/server/src/platform/observability/metrics.ts';

const [layerArgument, portArgument, providerBaseUrl, adminKey] = process.argv.slice(2);
const layer = Number(layerArgument);
const fastify = createRequire(join(import.meta.dirname, '..', 'packages', 'server', 'package.json'))(
  'fastify',
) as typeof import('fastify').default;

// The response schema's own example: a valid answer of the size a cache hit sends.
const fixedAnswer = (AnalyzeResponse as unknown as { examples: Array<Record<string, unknown>> }).examples[0]!;

async function runtimeFor() {
  const config = loadConfig({
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'sps-layers-')), 'layers.db')}`,
      LOG_LEVEL: 'warn',
      SPS_ADMIN_KEY: adminKey ?? '',
      DEFAULT_RATE_LIMIT_PER_HOUR: '100000000',
      IP_REQUESTS_PER_MINUTE: '1000000000',
      OPENAI_COMPATIBLE_BASE_URL: `${providerBaseUrl}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'bench-model',
      ...(JSON.parse(process.env.LAYER_ENV ?? '{}') as Record<string, string>),
    },
  });
  const logger = createLogger(config);
  return { config, logger, runtime: await createRuntime(config, logger) };
}

async function layeredApp(): Promise<FastifyInstance> {
  const { logger, runtime } = layer >= 6 ? await runtimeFor() : { logger: undefined, runtime: undefined };
  if (layer === 9 && runtime) return (await buildApp(runtime.deps)) as unknown as FastifyInstance;
  const app = fastify({
    ...(logger
      ? { loggerInstance: withLazyRequestChildren(logger as FastifyBaseLogger) }
      : { logger: false }),
    ...(layer >= 5 ? { genReqId: generateRequestId } : {}),
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true },
    },
  });
  if (layer >= 1) {
    app.removeContentTypeParser('text/plain');
    await app.register(strictJsonPlugin);
  }
  if (layer >= 2) app.setValidatorCompiler(createValidatorCompiler());
  if (layer >= 3)
    await app.register(httpMetricsPlugin, { metrics: runtime?.deps.metrics ?? new Metrics({}) });
  if (layer >= 4) await app.register(securityPlugin, { corsOrigins: [] });
  if (layer >= 5)
    app.addHook('onRequest', (request, reply, done) => {
      reply.header(requestIdHeader, request.id);
      done();
    });
  if (layer >= 7 && runtime) {
    const { services } = runtime.deps;
    await app.register(authPlugin, {
      verifier: services.verifier,
      limits: services.limits,
      audit: services.audit,
      keys: services.apiKeysRepository,
      metrics: runtime.deps.metrics,
      tracer: runtime.deps.tracer,
    });
  }
  const schema = layer >= 2 ? { schema: { body: AnalyzeRequest, response: { 200: AnalyzeResponse } } } : {};
  const analyze = runtime?.deps.services.analyze;
  app.post('/v1/analyze', schema, async (request) => {
    if (layer >= 8 && analyze && request.auth) {
      return analyze.analyze(request.body as never, {
        key: request.auth.key,
        requestId: request.id,
        ip: request.ip,
      });
    }
    return { ...fixedAnswer, request_id: request.id };
  });
  return app;
}

if (import.meta.main) {
  const app = await layeredApp();
  const address = await app.listen({ host: '127.0.0.1', port: Number(portArgument ?? 0) });
  process.stdout.write(`layered app listening on ${new URL(address).port}\n`);
  process.once('SIGTERM', () => process.exit(0));
}
