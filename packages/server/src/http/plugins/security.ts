import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

export interface SecurityOptions {
  corsOrigins: readonly string[];
}

/**
 * API answers (JSON, problem+json, metrics text): no sniffing, no framing, nothing loaded if one is
 * opened in a tab, no referrer. The rest of helmet's set only means something to a rendered document
 * (ADR 0011). HSTS is left to `hstsOverTls`.
 */
const apiPolicy = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-origin' },
  originAgentCluster: false,
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
  xContentTypeOptions: true,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} satisfies HelmetOptions;

/**
 * The HTML documentation pages (Swagger UI, ReDoc) and their assets: helmet's full set, with a CSP
 * that lets them run.
 */
const documentPagePolicy = {
  contentSecurityPolicy: {
    directives: {
      // Scripts from this origin only; both UIs need inline styles and ReDoc runs a worker from a blob.
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      workerSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      // TLS is the deployment's business (often ended at a proxy); upgrading the docs' assets to https
      // would break them on a plain-http laptop or internal hop.
      upgradeInsecureRequests: null,
    },
  },
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: true,
  crossOriginResourcePolicy: true,
  originAgentCluster: true,
  referrerPolicy: true,
  strictTransportSecurity: false,
  xContentTypeOptions: true,
  xDnsPrefetchControl: true,
  xDownloadOptions: true,
  xFrameOptions: true,
  xPermittedCrossDomainPolicies: true,
  xXssProtection: true,
} satisfies HelmetOptions;

/** helmet's own HSTS value: a year, subdomains included. */
export const hstsValue = 'max-age=31536000; includeSubDomains';

const documentPrefixes = ['/docs', '/redoc'];

/** Whether a route serves the HTML documentation, by path segment: `/docsearch` is an API URL. */
export function isDocumentUrl(url: string): boolean {
  return documentPrefixes.some(
    (prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`),
  );
}

/** Whether the request is for the documentation, by the matched route or, for a 404, its path. */
function isDocumentRequest(request: FastifyRequest): boolean {
  return isDocumentUrl(request.routeOptions.url ?? request.url);
}

/**
 * Security headers on every answer, and CORS only for the origins an operator listed. Each helmet
 * policy becomes its middleware once, at start-up; a request only runs the one that applies (ADR 0030).
 */
export const securityPlugin = fp<SecurityOptions>(
  async (app: FastifyInstance, options) => {
    const apiHeaders = helmet(apiPolicy);
    const documentHeaders = helmet(documentPagePolicy);
    app.addHook('onRequest', (request, reply, done) => {
      const headers = isDocumentRequest(request) ? documentHeaders : apiHeaders;
      headers(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
    });

    // RFC 6797 §7.2: HSTS only over TLS, a TLS socket or a trusted proxy's X-Forwarded-Proto (which
    // Fastify reads into `request.protocol` only from a proxy `TRUST_PROXY` trusts).
    app.addHook('onRequest', async (request, reply) => {
      if (request.protocol === 'https') reply.header('strict-transport-security', hstsValue);
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
