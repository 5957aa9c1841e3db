import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../../platform/observability/metrics.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Counted in `http_requests_in_flight` and not yet taken off (http-metrics plugin). */
    countedInFlight: boolean;
  }
}

export interface HttpMetricsPluginOptions {
  metrics: Metrics;
}

/** Route label of requests no route matched: raw URLs would make one series per scanner probe. */
const unmatchedRoute = 'unmatched';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route template (`/v1/schemas/:id`), never the URL the client sent. */
export function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? unmatchedRoute;
}

function methodLabel(method: string): string {
  return knownMethods.has(method) ? method : 'other';
}

/**
 * Counts every request by method, route template and status, times it, and tracks requests in
 * flight. Registered with fastify-plugin so the hooks see every route, including the 404 handler.
 */
export const httpMetricsPlugin = fp<HttpMetricsPluginOptions>(
  async (app: FastifyInstance, { metrics }) => {
    // Whether the request is still counted in flight: one that is aborted and then also answered must
    // be taken off once.
    app.decorateRequest('countedInFlight', false);

    app.addHook('onRequest', async (request) => {
      request.countedInFlight = true;
      metrics.requestStarted();
    });

    app.addHook('onResponse', async (request, reply) => {
      if (!request.countedInFlight) return;
      request.countedInFlight = false;
      metrics.requestFinished(
        methodLabel(request.method),
        routeLabel(request),
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });

    // The client went away before an answer: no onResponse follows, so count it as 499 here.
    app.addHook('onRequestAbort', async (request) => {
      if (!request.countedInFlight) return;
      request.countedInFlight = false;
      metrics.requestAborted(methodLabel(request.method), routeLabel(request));
    });
  },
  { name: 'http-metrics', fastify: '5.x' },
);
