import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's refusals are answers, not failures: a readiness probe saying "not ready". */
    probe?: boolean;
  }
}

/**
 * The level of a request's log lines, from its status: success at info, a client error at warn, a
 * server error at error. A probe's refusal is what the orchestrator asked to know, so it stays at info
 * however often it polls (the failing dependency is logged by its health check).
 */
export function outcomeLevel(request: FastifyRequest, statusCode: number): 'info' | 'warn' | 'error' {
  if (statusCode < 400 || request.routeOptions.config.probe === true) return 'info';
  return statusCode < 500 ? 'warn' : 'error';
}
