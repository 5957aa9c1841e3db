import type { Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ActiveTrace, spanStatusError, type Tracer } from '../../platform/observability/tracing.ts';
import { routeLabel } from './http-metrics.ts';

export interface HttpTracingPluginOptions {
  tracer: Tracer;
}

/**
 * One server span per HTTP request, made the active trace context for the hooks and the handler
 * that follow, so `tracer.withSpan` calls anywhere below (auth, cache, providers) become its
 * children. Register it before the auth plugin so auth runs inside the request span.
 *
 * onRequest and preHandler are callback-style on purpose: calling `done` inside `runIn` makes the
 * rest of the hook chain run in that context. It is entered again in preHandler because a content-type
 * parser or hook built on a callback-style library can drop the async context; the handler must still
 * see the request span.
 */
export const httpTracingPlugin = fp<HttpTracingPluginOptions>(
  async (app: FastifyInstance, { tracer }) => {
    if (!tracer.enabled) return;
    const traces = new WeakMap<FastifyRequest, { span: Span; active: ActiveTrace }>();

    app.addHook('onRequest', (request, _reply, done) => {
      const started = tracer.startRequest(request.id, {
        'http.request.method': request.method,
        'http.route': routeLabel(request),
      });
      if (!started) return done();
      traces.set(request, started);
      tracer.runIn(started.active, () => done());
    });

    app.addHook('preHandler', (request, _reply, done) => {
      const started = traces.get(request);
      if (!started) return done();
      tracer.runIn(started.active, () => done());
    });

    app.addHook('onError', async (request, _reply, error) => {
      traces.get(request)?.span.recordException(error);
    });

    app.addHook('onResponse', async (request, reply) => {
      const started = traces.get(request);
      if (!started) return;
      traces.delete(request);
      started.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) started.span.setStatus({ code: spanStatusError });
      started.span.end();
    });

    app.addHook('onRequestAbort', async (request) => {
      const started = traces.get(request);
      if (!started) return;
      traces.delete(request);
      started.span.setStatus({ code: spanStatusError, message: 'client aborted' });
      started.span.end();
    });
  },
  { name: 'http-tracing', fastify: '5.x' },
);
