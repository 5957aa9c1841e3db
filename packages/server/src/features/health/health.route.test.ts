import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import type { HealthCheck } from '../../platform/health-check.ts';

const up = (name: string, required: boolean): HealthCheck => ({ name, required, check: async () => {} });
const failing = (name: string, required: boolean): HealthCheck => ({
  name,
  required,
  check: async () => {
    throw new Error('connect ECONNREFUSED 10.1.2.3:6379');
  },
});
/** Never settles unless aborted: a dependency that accepts the connection and then says nothing. */
const hanging = (name: string, required: boolean): HealthCheck => ({
  name,
  required,
  check: (signal) =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
});

describe('GET /v1/health', () => {
  it('is healthy when every configured dependency answers, and lists the unconfigured ones', async () => {
    const { app } = await buildTestApp({ healthChecks: [up('database', true)] });
    const response = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe('healthy');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.checks.database).toMatchObject({ status: 'up', required: true });
    expect(body.checks.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(body.checks.cache).toEqual({ status: 'not_configured', latency_ms: null, required: false });
    expect(body.checks.queue.status).toBe('not_configured');
  });

  it('is degraded when an optional dependency fails, without leaking its address', async () => {
    const { app } = await buildTestApp({ healthChecks: [up('database', true), failing('cache', false)] });
    const response = await app.inject({ method: 'GET', url: '/v1/health' });
    const body = response.json();
    expect(body.status).toBe('degraded');
    expect(body.checks.cache).toMatchObject({ status: 'down', detail: 'unavailable' });
    expect(response.body).not.toContain('10.1.2.3');
  });

  it('is unhealthy when a required dependency hangs, and still answers within the check timeout', async () => {
    const { app } = await buildTestApp({
      env: { HEALTH_CHECK_TIMEOUT_MS: '50' },
      healthChecks: [hanging('database', true), up('cache', false)],
    });
    const response = await app.inject({ method: 'GET', url: '/v1/health' });
    const body = response.json();
    expect(body.status).toBe('unhealthy');
    expect(body.checks.database).toMatchObject({ status: 'down', detail: 'no answer within 50 ms' });
    expect(body.checks.cache.status).toBe('up');
  });
});

describe('GET /v1/health/live and /v1/health/ready', () => {
  it('live answers 200 even while the service is starting', async () => {
    const { app } = await buildTestApp({ notReady: true });
    expect((await app.inject({ method: 'GET', url: '/v1/health/live' })).statusCode).toBe(200);
  });

  it('ready is 503 problem+json while starting, 200 once ready, 503 again while stopping', async () => {
    const { app, deps } = await buildTestApp({ notReady: true, healthChecks: [up('database', true)] });
    const starting = await app.inject({ method: 'GET', url: '/v1/health/ready' });
    expect(starting.statusCode).toBe(503);
    expect(starting.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(starting.json()).toMatchObject({ code: 'service_unavailable', detail: 'Not ready: starting.' });

    deps.lifecycle.markReady();
    expect((await app.inject({ method: 'GET', url: '/v1/health/ready' })).statusCode).toBe(200);

    deps.lifecycle.markStopping();
    const stopping = await app.inject({ method: 'GET', url: '/v1/health/ready' });
    expect(stopping.statusCode).toBe(503);
  });

  it('ready is 503 when a required dependency is down, but not when only an optional one is', async () => {
    const optionalDown = await buildTestApp({
      healthChecks: [up('database', true), failing('cache', false)],
    });
    expect((await optionalDown.app.inject({ method: 'GET', url: '/v1/health/ready' })).statusCode).toBe(200);
    const requiredDown = await buildTestApp({ healthChecks: [failing('database', true)] });
    const response = await requiredDown.app.inject({ method: 'GET', url: '/v1/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toBe('Not ready: database down.');
  });
});
