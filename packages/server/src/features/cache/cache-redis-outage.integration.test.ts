import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { eventually, RedisTestServer } from '../../../test/support/redis.ts';

/**
 * The L2 cache's Redis is a server of this test's own (loopback, no persistence), stopped and restarted
 * while the app keeps serving.
 */
describe('Redis outage under the response cache', () => {
  const servers: RedisTestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('keeps answering from L1 while Redis is down, reports degraded, and recovers on its own', async () => {
    const redis = await RedisTestServer.start();
    servers.push(redis);
    const { app, createKey, infra } = await buildTestApp({
      env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '200' },
    });
    expect(await infra.responseCache.ready(5000)).toBe(true);
    const { key } = await createKey({ rate_limit_per_hour: 10_000 });
    const analyze = (prompt: string) =>
      app.inject({ method: 'POST', url: '/v1/analyze', headers: { 'x-api-key': key }, payload: { prompt } });
    const cacheHealth = async () => (await app.inject({ method: 'GET', url: '/v1/health' })).json();

    expect((await analyze('Translate Hello World to French')).statusCode).toBe(200);
    expect(await cacheHealth()).toMatchObject({ status: 'healthy', checks: { cache: { status: 'up' } } });

    await redis.stop();
    const fresh = await analyze('Summarize the meeting notes as a list');
    expect(fresh.statusCode).toBe(200);
    const repeated = await analyze('Translate Hello World to French');
    expect(repeated.statusCode).toBe(200);
    expect(repeated.json().cached).toBe(true);
    await eventually(async () => (await cacheHealth()).status === 'degraded', 'health reports degraded');
    expect((await cacheHealth()).checks.cache.status).toBe('down');

    await redis.start();
    await eventually(
      async () => (await cacheHealth()).status === 'healthy',
      'health recovers after Redis restarts',
    );
    expect((await analyze('Compare two plans in a table')).statusCode).toBe(200);
    const stats = await app.inject({
      method: 'GET',
      url: '/v1/analyze/cache/stats',
      headers: { 'x-api-key': key },
    });
    expect(stats.json().levels.l2.status).toBe('up');
  });
});

describe('GET /v1/analyze/providers', () => {
  it('lists every provider with why it is disabled, and the offline analyzer last and healthy', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sps-providers-'));
    const configFile = join(directory, 'sps.yaml');
    writeFileSync(
      configFile,
      'providers:\n  entries:\n    - name: backup-claude\n      kind: anthropic\n      enabled: false\n',
    );
    const { app, createKey } = await buildTestApp({
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
        SPS_CONFIG_FILE: configFile,
      },
    });
    rmSync(directory, { recursive: true, force: true });
    const { key } = await createKey();
    const response = await app.inject({
      method: 'GET',
      url: '/v1/analyze/providers',
      headers: { 'x-api-key': key },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.strategy).toBe('least-busy');
    const byName = Object.fromEntries(
      body.providers.map((provider: { name: string }) => [provider.name, provider]),
    );
    expect(byName.openai).toMatchObject({
      enabled: true,
      healthy: true,
      circuit: 'closed',
      default_model: 'gpt-4o-mini',
    });
    expect(byName.openai.prices['gpt-4o-mini']).toEqual({ input_per_1k: 0.00015, output_per_1k: 0.0006 });
    expect(byName['backup-claude']).toMatchObject({
      enabled: false,
      healthy: false,
      disabled_reason: expect.any(String),
    });
    expect(body.providers.at(-1)).toMatchObject({ name: 'heuristic', enabled: true, healthy: true });
    expect(response.body).not.toContain('sk-test');
  });
});
