import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPostgresDatabase,
  HoldingProvider,
  killHard,
  spawnWorker,
  type WorkerProcess,
} from '../../../test/support/job-processes.ts';
import { queueBackendAvailable } from '../../../test/support/job-queues.ts';
import { testAmqpUrl } from '../../../test/support/rabbitmq.ts';
import { eventually, testRedisUrl } from '../../../test/support/redis.ts';
import { type ServerProcess, spawnServer } from '../../../test/support/spawn-server.ts';
import { BullmqJobQueue } from '../../platform/job-queue/bullmq-job-queue.ts';
import { RabbitmqJobQueue } from '../../platform/job-queue/rabbitmq-job-queue.ts';

const adminKey = `sp_${'d'.repeat(64)}`;
const available = {
  embedded: true,
  bullmq: await queueBackendAvailable('bullmq'),
  rabbitmq: await queueBackendAvailable('rabbitmq'),
};

interface Running {
  servers: ServerProcess[];
  workers: WorkerProcess[];
  cleanups: Array<() => Promise<unknown>>;
}
const running: Running = { servers: [], workers: [], cleanups: [] };

afterEach(async () => {
  for (const process of [...running.servers.map((s) => s.child), ...running.workers.map((w) => w.child)]) {
    await killHard(process);
  }
  running.servers = [];
  running.workers = [];
  for (const cleanup of running.cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** The settings every process of one test shares: database, provider, queue and its names. */
async function sharedEnv(queue: 'embedded' | 'bullmq' | 'rabbitmq', provider: HoldingProvider) {
  const prefix = `durability-${randomBytes(4).toString('hex')}`;
  let databaseUrl: string;
  if (queue === 'embedded') {
    const directory = mkdtempSync(join(tmpdir(), 'sps-durability-'));
    running.cleanups.push(async () => rmSync(directory, { recursive: true, force: true }));
    databaseUrl = `sqlite:${join(directory, 'jobs.db')}`;
  } else {
    const database = await createPostgresDatabase();
    running.cleanups.push(() => database.drop());
    databaseUrl = database.url;
  }
  if (queue === 'bullmq') {
    running.cleanups.push(async () => {
      const handle = await BullmqJobQueue.create({
        redisUrl: testRedisUrl(),
        prefix,
        queue: 'jobs',
        leaseMs: 2000,
      });
      await handle.obliterate();
      await handle.close();
    });
  }
  if (queue === 'rabbitmq') {
    running.cleanups.push(async () =>
      (await RabbitmqJobQueue.create({ url: testAmqpUrl(), prefix })).destroy(),
    );
  }
  return {
    DATABASE_URL: databaseUrl,
    OPENAI_API_KEY: 'sk-test-not-a-real-key',
    OPENAI_BASE_URL: `${provider.fake.url}/v1`,
    SPS_ADMIN_KEY: adminKey,
    DEFAULT_RATE_LIMIT_PER_HOUR: '1000000',
    LOG_LEVEL: 'warn',
    JOB_QUEUE: queue,
    JOB_QUEUE_PREFIX: prefix,
    JOB_LEASE_MS: '2000',
    JOB_POLL_INTERVAL_MS: '50',
    JOB_WORKER_CONCURRENCY: '4',
    ...(queue === 'bullmq' ? { REDIS_URL: testRedisUrl() } : {}),
    ...(queue === 'rabbitmq' ? { AMQP_URL: testAmqpUrl() } : {}),
  };
}

async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  running.servers.push(server);
  return server;
}

async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const worker = await spawnWorker(env);
  running.workers.push(worker);
  return worker;
}

async function submit(server: ServerProcess, items: number): Promise<string> {
  const run = randomBytes(4).toString('hex');
  const body = {
    // Pinned to the fake provider: the heuristic never answers in its place, so every answer is counted.
    items: Array.from({ length: items }, (_, index) => ({
      prompt: `Translate item-${index}-${run} to French`,
      provider: 'openai',
    })),
  };
  const response = await fetch(`${server.baseUrl}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function progressOf(server: ServerProcess, id: string) {
  const response = await fetch(`${server.baseUrl}/v1/jobs/${id}`, { headers: { 'x-api-key': adminKey } });
  return (await response.json()) as { status: string; progress: { succeeded: number; failed: number } };
}

/** Lets some items finish, then holds the provider until the finished ones are stored and others wait. */
async function stopMidRun(server: ServerProcess, id: string, provider: HoldingProvider, first = 40) {
  await eventually(async () => provider.answered() >= first, `${first} items answered`, 4000);
  provider.hold();
  let last = '';
  await eventually(
    async () => {
      const job = await progressOf(server, id);
      last = JSON.stringify({ job, answered: provider.answered(), inFlight: provider.inFlight() });
      return provider.inFlight() > 0 && job.progress.succeeded === provider.answered();
    },
    'answered items stored, others held in flight',
    4000,
  ).catch(async (error: Error) => {
    const sample = await fetch(`${server.baseUrl}/v1/jobs/${id}/results?cursor=150&limit=1`, {
      headers: { 'x-api-key': adminKey },
    });
    throw new Error(`${error.message}: ${last} ${await sample.text()} ${server.stdout().slice(0, 3000)}`);
  });
}

/** The killed process's held requests are all seen closed before the provider answers anything held. */
async function everyHeldRequestDropped(provider: HoldingProvider): Promise<void> {
  await provider.fake.whenClientAborts();
  await eventually(async () => provider.inFlight() === 0, 'held requests closed by the killed process', 2000);
}

/** Every item answered by the provider exactly once, and the job completed with all of them. */
async function expectEveryItemOnce(
  server: ServerProcess,
  id: string,
  provider: HoldingProvider,
  items: number,
) {
  await eventually(async () => (await progressOf(server, id)).status === 'completed', 'job completed', 8000);
  expect((await progressOf(server, id)).progress).toMatchObject({ succeeded: items, failed: 0 });
  const perItem = provider.answeredPerItem();
  expect(perItem.size).toBe(items);
  expect([...perItem.values()].filter((count) => count !== 1)).toEqual([]);
}

describe('durable jobs: a process killed mid-run loses no item and repeats none', () => {
  it.skipIf(!available.embedded)(
    'embedded: the server is killed -9 and started again',
    { timeout: 300_000 },
    async () => {
      const provider = await HoldingProvider.start();
      running.cleanups.push(() => provider.fake.close());
      const env = await sharedEnv('embedded', provider);
      const server = await startServer(env);
      const id = await submit(server, 200);
      await stopMidRun(server, id, provider);
      await killHard(server.child);
      await everyHeldRequestDropped(provider);
      provider.release();
      const restarted = await startServer(env);
      await expectEveryItemOnce(restarted, id, provider, 200);
    },
  );

  for (const queue of ['bullmq', 'rabbitmq'] as const) {
    it.skipIf(!available[queue])(
      `${queue}: the worker is killed -9 and another started`,
      { timeout: 300_000 },
      async () => {
        const provider = await HoldingProvider.start();
        running.cleanups.push(() => provider.fake.close());
        const env = await sharedEnv(queue, provider);
        const server = await startServer({ ...env, JOB_WORKER_IN_PROCESS: 'false' });
        const worker = await startWorker(env);
        const id = await submit(server, 200);
        await stopMidRun(server, id, provider);
        await killHard(worker.child);
        await everyHeldRequestDropped(provider);
        provider.release();
        await startWorker(env);
        await expectEveryItemOnce(server, id, provider, 200);
      },
    );
  }

  it('a worker stopped with SIGTERM gives its running items back and exits 0', {
    timeout: 300_000,
  }, async () => {
    const provider = await HoldingProvider.start();
    running.cleanups.push(() => provider.fake.close());
    const env = { ...(await sharedEnv('embedded', provider)), SHUTDOWN_TIMEOUT_MS: '4000' };
    const server = await startServer({ ...env, JOB_WORKER_IN_PROCESS: 'false' });
    const worker = await startWorker({ ...env, LOG_LEVEL: 'info' });
    const id = await submit(server, 60);
    await stopMidRun(server, id, provider, 20);
    const exited = new Promise((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    const code = await exited;
    expect(code, worker.output()).toBe(0);
    expect(worker.output()).toContain('released job items still running at shutdown');
    await everyHeldRequestDropped(provider);
    provider.release();
    await startWorker(env);
    await expectEveryItemOnce(server, id, provider, 60);
  });

  it.skipIf(!available.bullmq)(
    'two API processes and two workers on PostgreSQL and Redis run a 500-item job with 500 provider calls',
    { timeout: 300_000 },
    async () => {
      const provider = await HoldingProvider.start();
      running.cleanups.push(() => provider.fake.close());
      const env = await sharedEnv('bullmq', provider);
      const api = { ...env, JOB_WORKER_IN_PROCESS: 'false' };
      const [first, second] = await Promise.all([startServer(api), startServer(api)]);
      await Promise.all([startWorker(env), startWorker(env)]);
      const id = await submit(first!, 500);
      await expectEveryItemOnce(second!, id, provider, 500);
      expect(provider.answered()).toBe(500);
    },
  );
});
