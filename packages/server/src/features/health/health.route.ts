import { HealthReport, ProbeReport } from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { problemResponses } from '../../http/route-schema.ts';
import { AppError } from '../../lib/app-error.ts';
import type { HealthService } from './health.service.ts';

/**
 * Public probes. They never require a key and never count against the caller's address limit:
 * orchestrators and load balancers call them.
 */
export function healthRoutes(app: AppInstance, health: HealthService): void {
  app.get(
    '/v1/health',
    {
      config: { auth: 'probe' },
      schema: {
        summary: 'Dependency health',
        description:
          'Overall status and one check per dependency (database, cache, queue) with its latency. A required ' +
          'dependency down makes the service `unhealthy`, an optional one `degraded`. Always HTTP 200 with the ' +
          'status in the body (use /v1/health/ready for a status-code probe). Each check has a short timeout, ' +
          'so this answers quickly even when a dependency hangs.',
        tags: ['health'],
        response: { 200: HealthReport },
      },
    },
    async (_request, reply) => {
      const report = await health.report();
      return reply.header('cache-control', 'no-store').send(report);
    },
  );

  app.get(
    '/v1/health/live',
    {
      config: { auth: 'probe' },
      schema: {
        summary: 'Liveness probe',
        description:
          'Answers 200 while the process can serve HTTP at all. Restart the process when it does not.',
        tags: ['health'],
        response: { 200: ProbeReport },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  app.get(
    '/v1/health/ready',
    {
      config: { auth: 'probe', probe: true },
      schema: {
        summary: 'Readiness probe',
        description:
          'Answers 200 when the service should receive traffic; 503 while starting, while shutting down, or ' +
          'when a required dependency is down.',
        tags: ['health'],
        response: { 200: ProbeReport, ...problemResponses(503) },
      },
    },
    async (_request, reply) => {
      const readiness = await health.readiness();
      reply.header('cache-control', 'no-store');
      if (readiness.ready) return reply.send({ status: 'ok' });
      throw new AppError('service_unavailable', `Not ready: ${readiness.reason}.`, {
        headers: { 'retry-after': '5' },
      });
    },
  );
}
