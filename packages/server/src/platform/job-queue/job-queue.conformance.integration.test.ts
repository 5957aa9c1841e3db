import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestQueueFactory,
  type QueueBackendName,
  queueBackendAvailable,
  type TestQueueFactory,
} from '../../../test/support/job-queues.ts';
import { eventually } from '../../../test/support/redis.ts';
import type { Consumer, HandlerOutcome, QueueMessage, QueuePriority } from './job-queue.ts';

const backends: QueueBackendName[] = ['embedded-sqlite', 'embedded-postgres', 'bullmq', 'rabbitmq'];
const available = Object.fromEntries(
  await Promise.all(backends.map(async (name) => [name, await queueBackendAvailable(name)] as const)),
);

const messagesOf = (count: number, jobId = randomUUID()): QueueMessage[] =>
  Array.from({ length: count }, (_, index) => ({ jobId, index }));
const keyOf = (message: QueueMessage) => `${message.jobId}:${message.index}`;
const done: HandlerOutcome = { kind: 'done' };

for (const backend of backends) {
  describe.skipIf(!available[backend])(`job queue conformance [${backend}]`, () => {
    let factory: TestQueueFactory | undefined;
    const consumers: Consumer[] = [];
    const setUp = async () => {
      factory = await createTestQueueFactory(backend, { leaseMs: 2000 });
      return factory;
    };
    afterEach(async () => {
      for (const consumer of consumers.splice(0)) await consumer.stop(0);
      await factory?.cleanup();
      factory = undefined;
    });

    it('delivers every message once, with the priority it was enqueued under', async () => {
      const queue = await (await setUp()).open();
      const normal = messagesOf(30);
      const urgent = messagesOf(5);
      await queue.enqueue(normal, { priority: 'default' });
      await queue.enqueue(urgent, { priority: 'high' });
      const seen = new Map<string, QueuePriority[]>();
      consumers.push(
        await queue.consume(
          async (message, priority) => {
            seen.set(keyOf(message), [...(seen.get(keyOf(message)) ?? []), priority]);
            return done;
          },
          { concurrency: 4 },
        ),
      );
      await eventually(async () => seen.size === 35, 'every message delivered');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect([...seen.values()].every((priorities) => priorities.length === 1)).toBe(true);
      expect(urgent.every((message) => seen.get(keyOf(message))?.[0] === 'high')).toBe(true);
      expect(normal.every((message) => seen.get(keyOf(message))?.[0] === 'default')).toBe(true);
    });

    it('counts waiting messages per priority, and none once they are handled', async () => {
      const queue = await (await setUp()).open();
      await queue.enqueue(messagesOf(3), { priority: 'high' });
      await queue.enqueue(messagesOf(2), { priority: 'batch' });
      await eventually(async () => {
        const depth = await queue.depth();
        return depth.high === 3 && depth.batch === 2 && depth.default === 0;
      }, 'depth 3/0/2');
      consumers.push(await queue.consume(async () => done, { concurrency: 2 }));
      await eventually(async () => {
        const depth = await queue.depth();
        return depth.high + depth.default + depth.batch === 0;
      }, 'queue drained');
      await queue.ping();
    });

    it('brings a message back after the delay its handler asked for, and after a handler failure', async () => {
      const queue = await (await setUp()).open();
      const [retried, failing] = messagesOf(2);
      await queue.enqueue([retried!, failing!], { priority: 'default' });
      const deliveries = new Map<string, number>();
      consumers.push(
        await queue.consume(
          async (message) => {
            const count = (deliveries.get(keyOf(message)) ?? 0) + 1;
            deliveries.set(keyOf(message), count);
            if (count > 1) return done;
            if (message.index === failing!.index) throw new Error('handler failed');
            return { kind: 'retry', delayMs: 300 };
          },
          { concurrency: 2 },
        ),
      );
      await eventually(
        async () => deliveries.get(keyOf(retried!)) === 2 && deliveries.get(keyOf(failing!)) === 2,
        'both delivered twice',
        800,
      );
    });

    it('a consumer that stops waits for its handlers; what it still holds after the timeout goes to another', async () => {
      const queue = await (await setUp()).open();
      const [finishing, abandoned] = messagesOf(2);
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const firstSeen: string[] = [];
      const first = await queue.consume(
        async (message) => {
          firstSeen.push(keyOf(message));
          if (message.index === abandoned!.index) await new Promise(() => {}); // never finishes
          await gate;
          return done;
        },
        { concurrency: 2 },
      );
      await queue.enqueue([finishing!, abandoned!], { priority: 'default' });
      await eventually(async () => firstSeen.length === 2, 'first consumer holds both');
      const stopping = first.stop(300);
      release();
      await stopping;

      const secondSeen: string[] = [];
      const other = await factory!.open();
      consumers.push(
        await other.consume(
          async (message) => {
            secondSeen.push(keyOf(message));
            return done;
          },
          { concurrency: 2 },
        ),
      );
      await eventually(
        async () => secondSeen.includes(keyOf(abandoned!)),
        'abandoned message redelivered',
        800,
      );
      expect(secondSeen).not.toContain(keyOf(finishing!));
    });
  });
}
