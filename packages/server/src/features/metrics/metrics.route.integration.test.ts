import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';

const metricsToken = 'metrics-token-0123456789';

/** The real app, whose metrics plugin and route app.ts registers. */
const appWithMetrics = (env: Record<string, string> = {}) => buildTestApp({ env });

describe('GET /v1/metrics', () => {
  it('is open when no metrics token is configured', async () => {
    const { app } = await appWithMetrics();
    const response = await app.inject({ method: 'GET', url: '/v1/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain('# TYPE sps_http_requests_total counter');
  });

  it('needs the metrics token as a bearer token when one is configured; an API key is not enough', async () => {
    const { app, createKey } = await appWithMetrics({ METRICS_TOKEN: metricsToken });
    const admin = await createKey({ scopes: ['admin'] });

    const anonymous = await app.inject({ method: 'GET', url: '/v1/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(anonymous.body).not.toContain('sps_');

    const withKey = await app.inject({
      method: 'GET',
      url: '/v1/metrics',
      headers: { 'x-api-key': admin.key },
    });
    expect(withKey.statusCode).toBe(401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/v1/metrics',
      headers: { authorization: `Bearer ${metricsToken}x` },
    });
    expect(wrong.statusCode).toBe(401);

    const scraped = await app.inject({
      method: 'GET',
      url: '/v1/metrics',
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(scraped.statusCode).toBe(200);
    // The refused scrapes were counted, under the route template and with no token in any label.
    expect(scraped.body).toMatch(
      /^sps_http_requests_total\{method="GET",route="\/v1\/metrics",status="401"\} 3$/m,
    );
    expect(scraped.body).not.toContain(metricsToken);
    expect(scraped.body).not.toContain(admin.key);
  });

  it('is documented in the OpenAPI spec under operations', async () => {
    const { app } = await appWithMetrics();
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = spec.paths['/v1/metrics'].get;
    expect(operation.tags).toEqual(['operations']);
    expect(operation.summary).toBeTruthy();
    expect(operation.description).toContain('Prometheus');
    expect(Object.keys(operation.responses['200'].content)).toEqual([
      'text/plain; version=0.0.4; charset=utf-8',
    ]);
    expect(operation.responses['401']).toBeDefined();
  });
});
