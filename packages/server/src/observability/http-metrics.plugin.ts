import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from './metrics.ts';

export interface HttpMetricsPluginOptions {
  metrics: Metrics;
}

/** Route label of requests no route matched: raw URLs would make one series per scanner probe. */
export const unmatchedRoute = 'unmatched';

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
    // Requests counted in flight; a WeakSet so one that is aborted and then also answered is
    // decremented once, and nothing leaks when neither hook runs.
    const inFlight = new WeakSet<FastifyRequest>();

    const finish = (request: FastifyRequest) => {
      if (!inFlight.delete(request)) return false;
      metrics.httpInFlight.dec();
      return true;
    };

    // Callback style: these run on every request, and an async hook costs a promise per call.
    app.addHook('onRequest', (request, _reply, done) => {
      inFlight.add(request);
      metrics.httpInFlight.inc();
      done();
    });

    app.addHook('onResponse', (request, reply, done) => {
      finish(request);
      const method = methodLabel(request.method);
      const route = routeLabel(request);
      metrics.httpRequests.inc({ method, route, status: String(reply.statusCode) });
      metrics.httpDuration.observe({ method, route }, reply.elapsedTime / 1000);
      done();
    });

    // The client went away before an answer: no onResponse follows, so count it as 499 here.
    app.addHook('onRequestAbort', (request, done) => {
      if (finish(request)) {
        metrics.httpRequests.inc({
          method: methodLabel(request.method),
          route: routeLabel(request),
          status: '499',
        });
      }
      done();
    });
  },
  { name: 'http-metrics', fastify: '5.x' },
);
