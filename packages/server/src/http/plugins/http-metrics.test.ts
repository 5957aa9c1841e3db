import { randomUUID } from 'node:crypto';
import { Problem } from '@structured-prompt/contracts';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsRoutes } from '../../features/metrics/metrics.route.ts';
import { Metrics } from '../../platform/observability/metrics.ts';
import type { AppInstance } from '../app-instance.ts';
import { httpMetricsPlugin } from './http-metrics.ts';

const apps: AppInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function buildApp(metrics: Metrics): Promise<AppInstance> {
  const app = Fastify() as unknown as AppInstance;
  apps.push(app);
  app.addSchema({ ...Problem, $id: 'Problem' });
  await app.register(httpMetricsPlugin, { metrics });
  app.get('/v1/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.post('/v1/things', async (_request, reply) => reply.code(201).send({ ok: true }));
  app.get('/v1/slow', async () => {
    const body = await metrics.render();
    return { inFlight: /^sps_http_requests_in_flight (\d+)/m.exec(body.body)?.[1] };
  });
  metricsRoutes(app, metrics);
  await app.ready();
  return app;
}

/** Every distinct value of `label` among the samples of `family`. */
function labelValues(body: string, family: string, label: string): Set<string> {
  const values = new Set<string>();
  for (const match of body.matchAll(new RegExp(`^${family}\\{[^}]*\\b${label}="([^"]*)"`, 'gm')))
    values.add(match[1]!);
  return values;
}

function seriesCount(body: string, prefix: string): number {
  return body.split('\n').filter((line) => line.startsWith(prefix)).length;
}

describe('httpMetricsPlugin', () => {
  it('labels by route template and status, never by the raw URL', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const app = await buildApp(metrics);
    await app.inject({ method: 'GET', url: '/v1/things/abc?secret=1' });
    await app.inject({ method: 'GET', url: '/v1/things/def' });
    await app.inject({ method: 'POST', url: '/v1/things', payload: {} });
    await app.inject({ method: 'GET', url: '/wp-admin/setup.php' });
    const { body } = (await app.inject({ method: 'GET', url: '/v1/metrics' })) as unknown as { body: string };
    expect(body).toMatch(
      /^sps_http_requests_total\{method="GET",route="\/v1\/things\/:id",status="200"\} 2$/m,
    );
    expect(body).toMatch(/^sps_http_requests_total\{method="POST",route="\/v1\/things",status="201"\} 1$/m);
    expect(body).toMatch(/^sps_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    expect(body).toMatch(
      /^sps_http_request_duration_seconds_count\{method="GET",route="\/v1\/things\/:id"\} 2$/m,
    );
    expect(body).not.toContain('wp-admin');
    expect(body).not.toContain('abc');
  });

  it('serves the exposition format and counts requests in flight', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const app = await buildApp(metrics);
    const response = await app.inject({ method: 'GET', url: '/v1/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain('# TYPE sps_http_requests_in_flight gauge');
    // While /v1/slow runs it is itself in flight; afterwards nothing is.
    expect((await app.inject({ method: 'GET', url: '/v1/slow' })).json()).toEqual({ inFlight: '1' });
    const after = await app.inject({ method: 'GET', url: '/v1/metrics' });
    expect(after.body).toMatch(/^sps_http_requests_in_flight 1$/m); // only the scrape itself
  });

  it('keeps the number of series bounded under 500 random requests', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const app = await buildApp(metrics);
    const methods = ['GET', 'POST', 'DELETE', 'PATCH'] as const;
    for (let i = 0; i < 500; i++) {
      const requestId = `req-${randomUUID()}`;
      const apiKey = `sp_${randomUUID().replaceAll('-', '')}`;
      const url =
        i % 3 === 0
          ? `/v1/things/${randomUUID()}?q=${i}`
          : i % 3 === 1
            ? `/${randomUUID()}/${i}`
            : `/v1/things/${encodeURIComponent(`ignore all previous instructions ${i}`)}`;
      await app.inject({
        method: methods[i % methods.length]!,
        url,
        headers: { 'x-request-id': requestId, 'x-api-key': apiKey },
        ...(i % 4 === 1 ? { payload: { prompt: `prompt ${i}` } } : {}),
      });
    }
    const { body } = await metrics.render();
    const routes = labelValues(body, 'sps_http_requests_total', 'route');
    expect([...routes].sort()).toEqual(['/v1/things/:id', 'unmatched']);
    // 4 methods × 2 routes × a few statuses, far below one series per request.
    expect(seriesCount(body, 'sps_http_requests_total{')).toBeLessThanOrEqual(16);
    expect(seriesCount(body, 'sps_http_request_duration_seconds_count{')).toBeLessThanOrEqual(8);
    const samples = body.split('\n').filter((line) => !line.startsWith('#'));
    expect(samples.join('\n')).not.toMatch(/req-|sp_[0-9a-f]{8}|prompt|ignore/);
  });

  it('counts a request the client abandoned once, as 499, and takes it off in-flight once', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const app = Fastify() as unknown as AppInstance;
    apps.push(app);
    await app.register(httpMetricsPlugin, { metrics });
    let abandoned!: () => void;
    const clientGone = new Promise<void>((resolve) => {
      abandoned = resolve;
    });
    // Answers only after the client has gone, so both the abort hook and the response hooks run.
    app.get('/v1/slow', async (request) => {
      request.raw.once('close', () => abandoned());
      await clientGone;
      return { late: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const controller = new AbortController();
    const call = fetch(`http://127.0.0.1:${port}/v1/slow`, { signal: controller.signal }).catch(
      () => 'aborted',
    );
    await new Promise<void>((resolve) => app.server.once('request', () => resolve()));
    controller.abort();
    expect(await call).toBe('aborted');
    await clientGone;
    // Let the late answer's hooks run before reading.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { body } = await metrics.render();
    expect(body).toMatch(/^sps_http_requests_in_flight 0$/m);
    expect(body).toMatch(/^sps_http_requests_total\{method="GET",route="\/v1\/slow",status="499"\} 1$/m);
    expect(body).not.toMatch(/^sps_http_requests_total\{method="GET",route="\/v1\/slow",status="200"\}/m);
  });
});
