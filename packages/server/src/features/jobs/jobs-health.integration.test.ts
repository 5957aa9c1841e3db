import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { eventually } from '../../../test/support/redis.ts';

describe('the job queue in health and metrics', () => {
  it('reports the embedded queue up, and its depth and processed items as metrics', async () => {
    const { app, createKey } = await buildTestApp({ env: { JOB_POLL_INTERVAL_MS: '20' } });
    const health = (await app.inject({ method: 'GET', url: '/v1/health' })).json();
    expect(health.checks.queue).toMatchObject({ status: 'up', required: true });
    expect((await app.inject({ method: 'GET', url: '/v1/health/ready' })).statusCode).toBe(200);

    const { key } = await createKey({ rate_limit_per_hour: 1000 });
    const submitted = await app.inject({
      method: 'POST',
      url: '/v1/analyze/async',
      headers: { 'x-api-key': key },
      payload: { prompt: 'Translate Hello World to French' },
    });
    const { id } = submitted.json();
    await eventually(
      async () =>
        (await app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: { 'x-api-key': key } })).json()
          .status === 'completed',
      'job completed',
      1200,
    );
    const metrics = (await app.inject({ method: 'GET', url: '/v1/metrics' })).body;
    expect(metrics).toMatch(/sps_job_items_processed_total\{outcome="succeeded"\} 1/);
    expect(metrics).toMatch(/sps_job_queue_depth\{queue="high"\} 0/);
    expect(metrics).toContain('sps_job_item_duration_seconds_count 1');
  });

  it('is down, and the service not ready, while the configured broker does not answer', async () => {
    const { app } = await buildTestApp({
      // Nothing listens on port 9 of the loopback: the connection is refused at once.
      env: {
        JOB_QUEUE: 'rabbitmq',
        AMQP_URL: 'amqp://guest:guest@127.0.0.1:9',
        HEALTH_CHECK_TIMEOUT_MS: '3000',
      },
    });
    const health = (await app.inject({ method: 'GET', url: '/v1/health' })).json();
    expect(health.checks.queue).toMatchObject({ status: 'down', required: true });
    expect(health.status).toBe('unhealthy');
    const ready = await app.inject({ method: 'GET', url: '/v1/health/ready' });
    expect(ready.statusCode).toBe(503);
  });
});
