import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const require = createRequire(import.meta.url);
const redocBundle = join(dirname(require.resolve('redoc/package.json')), 'bundles', 'redoc.standalone.js');

const redocPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Structured Prompt Service API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body>
</html>`;

export interface ApiDocsOptions {
  version: string;
  publicUrl?: string;
}

/**
 * OpenAPI 3.1 generated from the route schemas; Swagger UI at /docs, ReDoc at /redoc, the spec at
 * /openapi.json. Everything is served from this process: no CDN, so the docs work offline.
 */
export const apiDocsPlugin = fp<ApiDocsOptions>(
  async (app: FastifyInstance, options) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Structured Prompt Service',
          version: options.version,
          description:
            'Turns natural-language prompts into validated structured JSON through LLM providers. ' +
            'Every error is RFC 9457 `application/problem+json` with a `request_id`.',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        servers: options.publicUrl ? [{ url: options.publicUrl }] : [],
        tags: [
          { name: 'service', description: 'Service information' },
          { name: 'health', description: 'Liveness, readiness and dependency health' },
          { name: 'analyze', description: 'Prompt in, validated structured JSON out' },
          {
            name: 'openai-compatible',
            description: 'OpenAI chat completions and models, with validated JSON',
          },
          { name: 'schemas', description: 'The schema registry: versioned schemas and the common library' },
          { name: 'api-keys', description: 'Issue, revoke and rotate API keys (admin)' },
          { name: 'audit-logs', description: 'Security events (admin)' },
          { name: 'cache', description: 'Response cache statistics, invalidation and warming' },
          { name: 'templates', description: 'Versioned prompt templates, rendered with strict Liquid' },
          { name: 'history', description: 'Stored requests: list, search, replay, export and erase' },
          { name: 'usage', description: 'Usage and cost analytics from hourly rollups' },
          { name: 'operations', description: 'Metrics for Prometheus' },
        ],
        components: {
          securitySchemes: {
            ApiKeyHeader: {
              type: 'apiKey',
              in: 'header',
              name: 'X-API-Key',
              description: '`sp_` followed by 64 hex characters',
            },
            BearerAuth: { type: 'http', scheme: 'bearer', description: 'The same API key as a bearer token' },
          },
        },
      },
      // Name shared schemas after their $id so the spec reads `#/components/schemas/Problem`.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, index) =>
          typeof json.$id === 'string' ? json.$id : `def-${index}`,
      },
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: false,
      uiConfig: { deepLinking: true },
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    app.get('/redoc', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html').send(redocPage),
    );
    app.get('/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_request, reply) => {
      const { createReadStream } = await import('node:fs');
      return reply
        .type('application/javascript')
        .header('cache-control', 'public, max-age=86400')
        .send(createReadStream(redocBundle));
    });
  },
  { name: 'api-docs' },
);
