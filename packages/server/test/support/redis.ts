import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Test files may read the environment (production code never does). */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A prefix of its own per run, so parallel runs share one Redis without touching each other's keys. */
export function uniqueKeyPrefix(): string {
  return `test:${randomUUID()}:`;
}

/**
 * Whether the shared test Redis answers. Locally a missing Redis skips the suite with a message; in
 * CI (CI=true) it is an error, so a broken CI setup cannot pass by skipping.
 */
export async function redisAvailable(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`Redis at ${url} is required in CI: ${String(error)}`);
    console.warn(`Skipping Redis tests: no Redis at ${url} (${String(error)})`);
    return false;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A redis-server of the test's own: loopback only, no persistence, stopped and restarted at will. */
export class RedisTestServer {
  readonly port: number;
  #process: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<RedisTestServer> {
    const server = new RedisTestServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.#process = child;
    // If the test process dies without its afterAll, do not leave a redis-server behind.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    // Ready when it answers PING; polled because startup time varies with machine load.
    for (let attempt = 0; attempt < 200; attempt++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const client = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        client.disconnect();
      }
    }
    throw new Error('redis-server did not start');
  }

  /** SIGSTOP: the server keeps its connections open but answers nothing (a frozen Redis). */
  freeze(): void {
    this.#process?.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen server answers again, held commands included. */
  thaw(): void {
    this.#process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

/** Polls `probe` until it returns true; fails after `attempts` (a bound on waiting, not a performance claim). */
export async function eventually(
  probe: () => Promise<boolean>,
  description: string,
  attempts = 400,
): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for: ${description}`);
}
