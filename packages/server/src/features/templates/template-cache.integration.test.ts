import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/build-app.ts';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import { createTestDatabase } from '../../../test/support/test-databases.ts';
import {
  createLocalInvalidationBus,
  createRedisInvalidationBus,
  type KeyInvalidationBus,
} from '../../platform/key-bus/key-invalidation-bus.ts';

const redisClients = (await redisAvailable()) ? [testRedisClient(), testRedisClient()] : undefined;
afterAll(() => {
  for (const client of redisClients ?? []) client.disconnect();
});

// A cache that would stay stale for ten minutes: only an invalidation can make a replica see a change.
const env = { TEMPLATE_CACHE_TTL_MS: '600000' };

async function twoReplicas(buses: [KeyInvalidationBus, KeyInvalidationBus]) {
  const database = await createTestDatabase('sqlite');
  const [a, b] = await Promise.all(
    buses.map((templateBus) => buildTestApp({ env, infra: { database: database.database, templateBus } })),
  );
  const { key } = await a!.createKey();
  const render = async (replica: TestApp) =>
    (
      await replica.app.inject({
        method: 'POST',
        url: '/v1/templates/cached/render',
        headers: { 'x-api-key': key },
        payload: {},
      })
    ).json();
  const create = await a!.app.inject({
    method: 'POST',
    url: '/v1/templates',
    headers: { 'x-api-key': key },
    payload: { name: 'cached', template: 'first text' },
  });
  expect(create.statusCode, create.body).toBe(201);
  const update = () =>
    b!.app.inject({
      method: 'PUT',
      url: '/v1/templates/cached',
      headers: { 'x-api-key': key },
      payload: { template: 'second text' },
    });
  return { a: a!, b: b!, render, update, cleanup: () => database.destroy() };
}

describe('template cache across replicas', () => {
  it.skipIf(!redisClients)(
    'a change on one replica reaches the cache of another through Redis (skipped without Redis)',
    async () => {
      const channel = uniquePrefix('templates');
      const buses: [KeyInvalidationBus, KeyInvalidationBus] = [
        createRedisInvalidationBus(redisClients![0]!, { channel }),
        createRedisInvalidationBus(redisClients![1]!, { channel }),
      ];
      await Promise.all(buses.map((bus) => bus.ready()));
      const replicas = await twoReplicas(buses);
      try {
        expect((await replicas.render(replicas.a)).prompt).toBe('first text');
        expect((await replicas.update()).statusCode).toBe(200);
        expect((await replicas.render(replicas.b)).prompt).toBe('second text');
        await expect
          .poll(async () => (await replicas.render(replicas.a)).template.version, { timeout: 5000 })
          .toBe('1.1.0');
      } finally {
        await Promise.all(buses.map((bus) => bus.close()));
        await replicas.cleanup();
      }
    },
  );

  it('without a shared bus the other replica keeps its cached version, which is what the bus fixes', async () => {
    const buses: [KeyInvalidationBus, KeyInvalidationBus] = [
      createLocalInvalidationBus(),
      createLocalInvalidationBus(),
    ];
    const replicas = await twoReplicas(buses);
    try {
      expect((await replicas.render(replicas.a)).prompt).toBe('first text');
      expect((await replicas.update()).statusCode).toBe(200);
      expect((await replicas.render(replicas.b)).prompt).toBe('second text');
      expect((await replicas.render(replicas.a)).prompt).toBe('first text');
    } finally {
      await replicas.cleanup();
    }
  });
});
