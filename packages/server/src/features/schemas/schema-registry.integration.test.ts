import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-databases.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import {
  createLocalInvalidationBus,
  createRedisInvalidationBus,
  type KeyInvalidationBus,
} from '../../platform/key-bus/key-invalidation-bus.ts';
import { SchemaRegistry } from './schema-registry.ts';
import { SchemasRepository } from './schemas.repository.ts';

const redisClients = (await redisAvailable()) ? [testRedisClient(), testRedisClient()] : undefined;
afterAll(() => {
  for (const client of redisClients ?? []) client.disconnect();
});

const owner = { keyId: '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f', isAdmin: false };
const stranger = { keyId: '0190a5c4-7b1e-7c3d-9f00-000000000002', isAdmin: false };
const admin = { keyId: '0190a5c4-7b1e-7c3d-9f00-000000000003', isAdmin: true };
const v1 = { type: 'object', properties: { a: { type: 'string' } } };
const v2 = { ...v1, required: ['a'] };

interface Replicas {
  name: string;
  skipped?: string;
  /** The buses of two replicas; they reach each other where the implementation spans processes. */
  open(): [KeyInvalidationBus, KeyInvalidationBus];
}

const implementations: Replicas[] = [
  {
    name: 'local (one process, one bus)',
    open: () => {
      const bus = createLocalInvalidationBus();
      return [bus, bus];
    },
  },
  {
    name: 'redis (two replicas, two connections)',
    skipped: redisClients ? undefined : 'no Redis reachable',
    open: () => {
      const channel = uniquePrefix('registry');
      return [
        createRedisInvalidationBus(redisClients![0]!, { channel }),
        createRedisInvalidationBus(redisClients![1]!, { channel }),
      ];
    },
  },
];

for (const implementation of implementations) {
  const { name, skipped } = implementation;
  describe.skipIf(skipped !== undefined)(
    `SchemaRegistry cache [${name}]${skipped ? ` (skipped: ${skipped})` : ''}`,
    () => {
      let database: TestDatabase | undefined;
      const buses: KeyInvalidationBus[] = [];
      afterEach(async () => {
        for (const bus of buses.splice(0)) await bus.close();
        await database?.destroy();
      });

      async function setUp() {
        database = await createTestDatabase('sqlite');
        const repository = new SchemasRepository(database.database);
        const [busA, busB] = implementation.open();
        buses.push(...new Set([busA, busB]));
        for (const bus of buses) await bus.ready();
        const here = new SchemaRegistry({ repository, bus: busA });
        const there = new SchemaRegistry({ repository, bus: busB });
        const { record } = await repository.create({
          name: 'shared',
          ownerKeyId: owner.keyId,
          isPublic: true,
          first: { version: '1.0.0', schema: v1, schemaHash: schemaHash(v1) },
        });
        return { repository, here, there, record };
      }

      it('serves from its cache until a change is announced, then every replica reads the change', async () => {
        const { repository, here, there, record } = await setUp();
        expect((await here.resolve('shared', stranger)).version.version).toBe('1.0.0');
        await repository.addVersion(record.id, 1, {
          version: '2.0.0',
          schema: v2,
          schemaHash: schemaHash(v2),
        });
        // Nothing announced yet: the cached record still names 1.0.0, so the cache is real.
        expect((await here.resolve('shared', stranger)).version.version).toBe('1.0.0');

        await there.invalidate(record.id);
        await expect
          .poll(async () => (await here.resolve('shared', stranger)).version.version, {
            timeout: 5000,
            interval: 20,
          })
          .toBe('2.0.0');
        const pinned = await here.resolve('shared@1.0.0', stranger);
        expect(pinned.schema).toEqual(v1);
        expect(await here.resolve(`${record.id}@2.0.0`, stranger)).toMatchObject({ schema: v2 });
      });

      it('hides a schema made private from other keys on every replica, and a deleted one from all', async () => {
        const { repository, here, there, record } = await setUp();
        await here.resolve('shared', stranger);
        await repository.update(record.id, { isPublic: false });
        await there.invalidate(record.id);
        await expect
          .poll(
            () =>
              here.resolve('shared', stranger).then(
                () => 'visible',
                (error) => error.code,
              ),
            {
              timeout: 5000,
              interval: 20,
            },
          )
          .toBe('not_found');
        expect((await here.resolve('shared', owner)).record.isPublic).toBe(false);
        expect((await here.resolve('shared', admin)).record.id).toBe(record.id);

        await repository.softDelete(record.id);
        await there.invalidate(record.id);
        await expect
          .poll(
            () =>
              here.resolve(record.id, owner).then(
                () => 'visible',
                (error) => error.code,
              ),
            {
              timeout: 5000,
              interval: 20,
            },
          )
          .toBe('not_found');
        await expect(here.resolve('shared', admin)).rejects.toMatchObject({ code: 'not_found' });
      });
    },
  );
}
