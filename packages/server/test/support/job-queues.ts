import { randomUUID } from 'node:crypto';
import { BullmqJobQueue } from '../../src/platform/job-queue/bullmq-job-queue.ts';
import { EmbeddedJobQueue } from '../../src/platform/job-queue/embedded-job-queue.ts';
import type { JobQueue } from '../../src/platform/job-queue/job-queue.ts';
import { RabbitmqJobQueue } from '../../src/platform/job-queue/rabbitmq-job-queue.ts';
import type { Database } from '../../src/platform/storage/database.ts';
import { rabbitmqAvailable, testAmqpUrl, uniqueQueuePrefix } from './rabbitmq.ts';
import { redisAvailable, testRedisUrl, uniqueKeyPrefix } from './redis.ts';
import { createTestDatabase } from './test-databases.ts';

export type QueueBackendName = 'embedded-sqlite' | 'embedded-postgres' | 'bullmq' | 'rabbitmq';

export interface TestQueueFactory {
  /** Another handle on the same queue (another process would open its own). */
  open(): Promise<JobQueue>;
  /** Deletes what the queue left behind: rows, Redis keys, broker queues. */
  cleanup(): Promise<void>;
  database?: Database;
}

/** Whether a backend's server is here; locally a missing one skips its tests (CI requires all). */
export async function queueBackendAvailable(name: QueueBackendName): Promise<boolean> {
  if (name === 'bullmq') return redisAvailable(testRedisUrl());
  if (name === 'rabbitmq') return rabbitmqAvailable();
  return true;
}

/** A queue of `name` with names of its own, so parallel tests never see each other's messages. */
export async function createTestQueueFactory(
  name: QueueBackendName,
  options: { leaseMs?: number } = {},
): Promise<TestQueueFactory> {
  const leaseMs = options.leaseMs ?? 2000;
  const opened: JobQueue[] = [];
  const track = <Q extends JobQueue>(queue: Q) => {
    opened.push(queue);
    return queue;
  };
  if (name === 'bullmq') {
    const settings = {
      redisUrl: testRedisUrl(),
      prefix: uniqueKeyPrefix().slice(0, -1),
      queue: 'jobs',
      leaseMs,
    };
    return {
      open: async () => track(await BullmqJobQueue.create(settings)),
      async cleanup() {
        const queue = await BullmqJobQueue.create(settings);
        await queue.obliterate().catch(() => {});
        for (const other of [...opened, queue]) await other.close().catch(() => {});
      },
    };
  }
  if (name === 'rabbitmq') {
    const settings = { url: testAmqpUrl(), prefix: uniqueQueuePrefix() };
    return {
      open: async () => track(await RabbitmqJobQueue.create(settings)),
      async cleanup() {
        for (const queue of opened) await queue.close().catch(() => {});
        await (await RabbitmqJobQueue.create(settings)).destroy();
      },
    };
  }
  const fixture = await createTestDatabase(name === 'embedded-postgres' ? 'postgres' : 'sqlite');
  const queueName = `test-${randomUUID()}`;
  return {
    database: fixture.database,
    open: async () =>
      track(new EmbeddedJobQueue(fixture.database, { queue: queueName, leaseMs, pollIntervalMs: 20 })),
    async cleanup() {
      for (const queue of opened) await queue.close();
      await fixture.destroy();
    },
  };
}
