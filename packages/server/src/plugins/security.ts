import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

export interface SecurityOptions {
  corsOrigins: readonly string[];
}

/**
 * The security headers helmet would set, computed once. Our policy has no per-request parts (no CSP
 * nonces), and @fastify/helmet rebuilds helmet's middleware on every request — measurable on a cache
 * hit — so we run helmet a single time against a recording response and replay what it set.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet({
    // The only HTML we serve is the API docs (Swagger UI, ReDoc): scripts from this origin only;
    // both need inline styles and ReDoc runs a worker from a blob.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // TLS is the deployment's business (often terminated at a proxy); upgrading the docs' assets
        // to https would break them on a plain-http laptop or internal hop.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/** Security headers on every answer, and CORS only for the origins an operator listed. */
export const securityPlugin = fp<SecurityOptions>(
  async (app: FastifyInstance, options) => {
    const headers = securityHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    if (options.corsOrigins.length > 0) {
      await app.register(cors, {
        origin: [...options.corsOrigins],
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'X-Request-ID', 'Idempotency-Key'],
        exposedHeaders: [
          'X-Request-ID',
          'Retry-After',
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
          'RateLimit',
          'RateLimit-Policy',
        ],
        maxAge: 600,
      });
    }
  },
  { name: 'security' },
);
