import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { type HeaderBag, replyHeaders } from './reply-headers.ts';

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

/**
 * The set for API answers (JSON, problem+json, metrics text). Most of helmet's headers only mean
 * something to a browser rendering a document (COOP, Origin-Agent-Cluster, DNS prefetch, the old XSS
 * auditor, IE's download prompt, Flash policies), and its CSP lists sources for the docs pages.
 * A JSON answer needs: no sniffing into HTML, no framing, no loading anything if it is opened in a
 * tab, HSTS (over TLS), no referrer. ~250 bytes instead of ~1,050 per answer (ADR 0011).
 */
export function apiSecurityHeaders(secure = true): HeaderBag {
  const headers: HeaderBag = {};
  apiSecurityHeaderWriter()(headers, secure);
  return headers;
}

/**
 * Writes the API set into a header object. Each name is written as a constant property, not in a
 * loop over names: every API answer carries these six, and a store by a constant name on the shape
 * all replies share is what makes writing them nearly free (ADR 0024). `secure`: the request came
 * over TLS (directly, or by a trusted proxy's `X-Forwarded-Proto`); HSTS is sent only then (RFC 6797
 * §7.2 forbids it on plain HTTP, where a browser ignores it anyway).
 */
export function apiSecurityHeaderWriter(): (headers: HeaderBag, secure: boolean) => void {
  const full = securityHeaders();
  const csp = "default-src 'none'; frame-ancestors 'none'";
  const corp = full['cross-origin-resource-policy'] ?? 'same-origin';
  const referrer = full['referrer-policy'] ?? 'no-referrer';
  const hsts = full['strict-transport-security'] ?? 'max-age=31536000; includeSubDomains';
  return (headers, secure) => {
    headers['content-security-policy'] = csp;
    headers['cross-origin-resource-policy'] = corp;
    headers['referrer-policy'] = referrer;
    if (secure) headers['strict-transport-security'] = hsts;
    headers['x-content-type-options'] = 'nosniff';
    headers['x-frame-options'] = 'DENY';
  };
}

/** The HTML documentation pages (Swagger UI, ReDoc) and their assets get helmet's full set. */
const documentPrefixes = ['/docs', '/redoc'];

export function isDocumentUrl(url: string): boolean {
  return documentPrefixes.some(
    (prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`),
  );
}

/** Security headers on every answer, and CORS only for the origins an operator listed. */
export const securityPlugin = fp<SecurityOptions>(
  async (app: FastifyInstance, options) => {
    const secureDocumentHeaders = securityHeaders();
    const { 'strict-transport-security': _hsts, ...plainDocumentHeaders } = secureDocumentHeaders;
    const writeApiHeaders = apiSecurityHeaderWriter();
    app.addHook('onRequest', (request, reply, done) => {
      // Fastify reads a trusted proxy's X-Forwarded-Proto here, and only a trusted one's.
      const secure = request.protocol === 'https';
      if (isDocumentUrl(request.url)) reply.headers(secure ? secureDocumentHeaders : plainDocumentHeaders);
      else writeApiHeaders(replyHeaders(reply), secure);
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
