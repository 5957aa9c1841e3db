import type { AppInstance } from '../../http/app-instance.ts';
import { problemResponses } from '../../http/route-schema.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';

/** Prometheus text exposition format 0.0.4, what prom-client renders. */
const exposition = 'text/plain; version=0.0.4; charset=utf-8';

/** The scrape endpoint. Open unless `METRICS_TOKEN` is set, then it needs `Authorization: Bearer <token>`. */
export function metricsRoutes(app: AppInstance, metrics: Metrics): void {
  app.get(
    '/v1/metrics',
    {
      config: { auth: 'metrics' },
      schema: {
        summary: 'Prometheus metrics',
        description:
          'Every `sps_*` metric of this process in the Prometheus text format: HTTP traffic, provider calls, ' +
          'tokens and cost, validation, cache, limits, request-log writer and process metrics. Point a ' +
          'Prometheus scrape job at it (see deploy/prometheus/prometheus.yml). When a metrics token is ' +
          'configured, send it as `Authorization: Bearer <token>`; API keys are not accepted here. Label ' +
          'values are bounded and never contain prompts, key secrets or request ids.',
        tags: ['operations'],
        security: [{ BearerAuth: [] }],
        response: {
          200: {
            description: 'Prometheus text exposition format.',
            content: { [exposition]: { schema: { type: 'string' } } },
          },
          ...problemResponses(401),
        },
      },
    },
    async (_request, reply) => {
      const { body } = await metrics.render();
      return reply.header('cache-control', 'no-store').type(exposition).send(body);
    },
  );
}
