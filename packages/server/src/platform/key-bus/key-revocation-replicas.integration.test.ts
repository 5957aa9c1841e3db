import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, LogCapture } from '../../../test/support/build-app.ts';
import { eventually, RedisTestServer } from '../../../test/support/redis.ts';
import { createTestDatabase } from '../../../test/support/test-databases.ts';

/**
 * Two app instances built the way the process builds them (their own Redis connections, from
 * REDIS_URL) on one database and one Redis of this test's own, with a key cache long enough that only
 * the revocation message can make the second replica refuse in time.
 */
describe('key revocation across replicas', () => {
  const servers: RedisTestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  async function twoReplicas() {
    const redis = await RedisTestServer.start();
    servers.push(redis);
    const shared = await createTestDatabase('sqlite');
    afterAll(() => shared.destroy());
    const env = { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '200', KEY_CACHE_TTL_MS: '5000' };
    const logs = new LogCapture();
    const first = await buildTestApp({ env, infra: { database: shared.database } });
    const second = await buildTestApp({ env, infra: { database: shared.database }, captureLogs: logs });
    await Promise.all([first.infra.keyBus.ready(), second.infra.keyBus.ready()]);
    const actor = { keyId: null, ip: null, requestId: null };
    /** Issues a key on the first replica and has the second one cache it. */
    const cachedKey = async () => {
      const { key, id } = await first.createKey();
      const onSecond = () =>
        second.app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: { 'x-api-key': key } });
      expect((await onSecond()).statusCode).toBe(200);
      return { onSecond, revoke: () => first.deps.services.apiKeys.revoke(id, actor) };
    };
    const health = async () => (await second.app.inject({ method: 'GET', url: '/v1/health' })).json();
    return { redis, second, logs, cachedKey, health };
  }

  /** Polls until the second replica refuses the key; fails once the deadline has passed. */
  async function refusedWithin(onSecond: () => Promise<{ statusCode: number }>, deadlineMs: number) {
    await expect
      .poll(async () => (await onSecond()).statusCode, { timeout: deadlineMs, interval: 5 })
      .toBe(401);
  }

  it('a key revoked on one replica is refused by the other within 100 ms', async () => {
    const { cachedKey } = await twoReplicas();
    const { onSecond, revoke } = await cachedKey();
    await revoke();
    await refusedWithin(onSecond, 100);
  });

  it('resubscribes after Redis restarts, saying so in health and logs meanwhile', async () => {
    const { redis, logs, cachedKey, health } = await twoReplicas();
    const { onSecond, revoke } = await cachedKey();

    await redis.stop();
    await eventually(
      async () => (await health()).checks.key_revocation?.status === 'down',
      'health reports the lost subscription',
    );
    expect((await health()).status).toBe('degraded');
    expect(logs.text).toContain('key revocation: subscription lost');

    await redis.start();
    await eventually(
      async () => (await health()).checks.key_revocation?.status === 'up',
      'the subscription comes back',
    );
    expect((await onSecond()).statusCode).toBe(200);
    await revoke();
    await refusedWithin(onSecond, 100);
  });
});
