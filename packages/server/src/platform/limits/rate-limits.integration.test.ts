import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import { createTestDatabase } from '../../../test/support/test-databases.ts';
import { createRedisInvalidationBus } from '../key-bus/key-invalidation-bus.ts';
import { createRedisRateLimitStore } from './rate-limit-store.ts';
import { createRedisBudgetLedger } from './redis-budget-ledger.ts';

describe('per-key hourly limit', () => {
  it('sends rate-limit headers on every authenticated answer and 429 with Retry-After past the limit', async () => {
    const { app, createKey, deps } = await buildTestApp();
    const { key, id } = await createKey({ rate_limit_per_hour: 3 });
    const answers = [];
    for (let index = 0; index < 4; index += 1) {
      answers.push(
        await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: { 'x-api-key': key } }),
      );
    }
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((answer) => answer.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(answers[0]!.headers['x-ratelimit-limit']).toBe('3');
    expect(Number(answers[0]!.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(answers[0]!.headers['ratelimit-policy']).toBe('"hourly";q=3;w=3600');
    expect(answers[1]!.headers.ratelimit).toMatch(/^"hourly";r=1;t=\d+$/);
    const refused = answers[3]!;
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await deps.services.audit.drain();
    const audit = await deps.services.audit.list({ eventType: 'rate_limit.exceeded' });
    expect(audit.items).toEqual([expect.objectContaining({ actorKeyId: id })]);
  });

  it('limits unauthenticated traffic per client address', async () => {
    const { app } = await buildTestApp({ env: { IP_REQUESTS_PER_MINUTE: '2' } });
    const codes = [];
    for (let index = 0; index < 3; index += 1)
      codes.push((await app.inject({ method: 'GET', url: '/v1/health/live' })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const other = await app.inject({ method: 'GET', url: '/v1/health/live', remoteAddress: '198.51.100.7' });
    expect(other.statusCode).toBe(200);
  });

  it('honours X-Forwarded-For only from a trusted proxy', async () => {
    const trusting = await buildTestApp({ env: { IP_REQUESTS_PER_MINUTE: '1', TRUST_PROXY: '127.0.0.1' } });
    const first = await trusting.app.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-forwarded-for': '203.0.113.1' },
    });
    const second = await trusting.app.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-forwarded-for': '203.0.113.2' },
    });
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    const naive = await buildTestApp({ env: { IP_REQUESTS_PER_MINUTE: '1' } });
    await naive.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': '203.0.113.1' } });
    const spoofed = await naive.app.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-forwarded-for': '203.0.113.2' },
    });
    expect(spoofed.statusCode).toBe(429);
  });
});

describe.runIf(await redisAvailable())('limits across replicas sharing Redis', () => {
  const client = testRedisClient();
  const prefix = uniquePrefix('replicas');
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  async function twoReplicas() {
    const shared = await createTestDatabase('sqlite');
    const infra = () => ({
      database: shared.database,
      rateLimits: createRedisRateLimitStore(client, `${prefix}:rl`),
      budgets: createRedisBudgetLedger(client, `${prefix}:budget`),
      keyBus: createRedisInvalidationBus(client, { channel: `${prefix}:keys` }),
    });
    const first = await buildTestApp({ infra: infra(), env: { KEY_CACHE_TTL_MS: '5000' } });
    const second = await buildTestApp({ infra: infra(), env: { KEY_CACHE_TTL_MS: '5000' } });
    await Promise.all([first.infra.keyBus.ready(), second.infra.keyBus.ready()]);
    onTestFinished(async () => {
      await Promise.all([first.infra.keyBus.close(), second.infra.keyBus.close()]);
    });
    afterAll(() => shared.destroy());
    return { first, second };
  }

  it('two app instances together admit exactly the configured number of requests', async () => {
    const { first, second } = await twoReplicas();
    const { key } = await first.createKey({ rate_limit_per_hour: 10 });
    const requests = Array.from({ length: 30 }, (_, index) =>
      (index % 2 === 0 ? first : second).app.inject({
        method: 'GET',
        url: '/v1/api-keys/me',
        headers: { 'x-api-key': key },
      }),
    );
    const codes = (await Promise.all(requests)).map((response) => response.statusCode);
    expect(codes.filter((code) => code === 200)).toHaveLength(10);
    expect(codes.filter((code) => code === 429)).toHaveLength(20);
  });

  it('a revocation on one replica takes effect on the other within 5 seconds despite its key cache', async () => {
    const { first, second } = await twoReplicas();
    const { key, id } = await first.createKey();
    const onSecond = () =>
      second.app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: { 'x-api-key': key } });
    expect((await onSecond()).statusCode).toBe(200); // now cached on the second replica
    await first.deps.services.apiKeys.revoke(id, { keyId: null, ip: null, requestId: null });
    await expect.poll(async () => (await onSecond()).statusCode, { timeout: 5000, interval: 100 }).toBe(401);
  });
});
