import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import {
  createLocalInvalidationBus,
  createRedisInvalidationBus,
  type KeyInvalidationBus,
} from './key-invalidation-bus.ts';

const redisClients = (await redisAvailable()) ? [testRedisClient(), testRedisClient()] : undefined;
const channel = uniquePrefix('key-bus');
afterAll(() => {
  for (const client of redisClients ?? []) client.disconnect();
});

interface Implementation {
  name: string;
  /** Set when the implementation cannot run here. */
  skipped?: string;
  /**
   * A bus as one replica opens it; `replica` picks the replica. Buses of different replicas reach
   * each other only where the implementation spans processes.
   */
  open(replica: number): KeyInvalidationBus;
  spansReplicas: boolean;
}

const implementations: Implementation[] = [
  { name: 'local', open: () => createLocalInvalidationBus(), spansReplicas: false },
  {
    name: 'redis',
    skipped: redisClients ? undefined : 'no Redis reachable',
    // Each replica's bus on a Redis client of its own, so its messages cross connections.
    open: (replica) => createRedisInvalidationBus(redisClients![replica % 2]!, { channel }),
    spansReplicas: true,
  },
];

const newHash = () => randomBytes(32).toString('hex');

/** A subscriber that keeps what it hears. */
function listen(bus: KeyInvalidationBus): string[] {
  const heard: string[] = [];
  bus.subscribe((keyHash) => heard.push(keyHash));
  return heard;
}

for (const implementation of implementations) {
  const { name, skipped } = implementation;
  describe.skipIf(skipped !== undefined)(
    `KeyInvalidationBus [${name}]${skipped ? ` (skipped: ${skipped})` : ''}`,
    () => {
      const opened: KeyInvalidationBus[] = [];
      afterEach(async () => {
        for (const bus of opened.splice(0)) await bus.close();
      });
      const open = async (replica = 0) => {
        const bus = implementation.open(replica);
        opened.push(bus);
        await bus.ready();
        return bus;
      };

      it('delivers a published key hash to every subscriber of the bus before publish resolves', async () => {
        const bus = await open();
        const [first, second] = [listen(bus), listen(bus)];
        const hash = newHash();
        await bus.publish(hash);
        expect(first).toContain(hash);
        expect(second).toContain(hash);
      });

      it.runIf(implementation.spansReplicas)(
        `delivers a published key hash to subscribers of another replica, on another connection${
          implementation.spansReplicas ? '' : ' (skipped: a local bus serves its own process only)'
        }`,
        async () => {
          const [publisher, other] = [await open(0), await open(1)];
          const [heardThere, heardHere] = [listen(other), listen(publisher)];
          const hash = newHash();
          await publisher.publish(hash);
          await expect.poll(() => heardThere.includes(hash), { timeout: 5000, interval: 20 }).toBe(true);
          expect(heardHere).toContain(hash);
        },
      );

      it('stops delivering to the subscribers of a bus once it is closed', async () => {
        const [closing, live] = [await open(0), await open(1)];
        const heardByClosed = listen(closing);
        const heardByLive = listen(live);
        await closing.close();
        const [fromClosed, fromLive] = [newHash(), newHash()];
        await closing.publish(fromClosed);
        await live.publish(fromLive);
        expect(heardByLive).toContain(fromLive);
        if (implementation.spansReplicas) {
          // The live bus hears the closed one's message through Redis: it did go out.
          await expect
            .poll(() => heardByLive.includes(fromClosed), { timeout: 5000, interval: 20 })
            .toBe(true);
        }
        expect(heardByClosed).toEqual([]);
      });
    },
  );
}
