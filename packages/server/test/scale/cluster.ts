import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import { validAnswer } from '../support/fake-openai-app.ts';
import { HoldingProvider, killHard, spawnWorker, type WorkerProcess } from '../support/job-processes.ts';
import { RedisTestServer } from '../support/redis.ts';
import { type ServerProcess, spawnServer } from '../support/spawn-server.ts';
import { Haproxy, haproxyConfig } from './haproxy.ts';
import { PrivatePostgres } from './private-postgres.ts';

export const adminKey = `sp_${'a'.repeat(64)}`;
const migrateEntry = resolve(import.meta.dirname, '../../src/platform/storage/migrate-cli.ts');
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * Everything a scaled-out installation has, on loopback: a PostgreSQL cluster and a Redis of this
 * test's own (so both can be restarted without touching the servers other tests share), migrations
 * applied once by `npm run migrate -- up`, two API replicas behind haproxy, two job workers, a fake
 * OpenAI for the API (answers after a short pause, so requests are in flight) and one for the jobs.
 */
export class Cluster {
  readonly replicas = new Map<'a' | 'b', ServerProcess>();
  readonly workers: WorkerProcess[] = [];
  readonly replicaPorts: { a: number; b: number };
  /** One fake OpenAI per replica, so the calls a replica had open when it died can be counted. */
  readonly apiProviders = {} as Record<'a' | 'b', FakeVendorServer>;
  jobProvider!: HoldingProvider;
  postgres!: PrivatePostgres;
  redis!: RedisTestServer;
  #haproxy: Haproxy | undefined;
  readonly #directory = mkdtempSync(join(tmpdir(), 'sps-scale-'));
  readonly #balancerPort: number;

  private constructor(ports: { a: number; b: number; balancer: number }) {
    this.replicaPorts = { a: ports.a, b: ports.b };
    this.#balancerPort = ports.balancer;
  }

  static async start(): Promise<Cluster> {
    const cluster = new Cluster({ a: await freePort(), b: await freePort(), balancer: await freePort() });
    cluster.postgres = await PrivatePostgres.start(await freePort());
    cluster.redis = await RedisTestServer.start();
    for (const name of ['a', 'b'] as const) {
      cluster.apiProviders[name] = await FakeVendorServer.start(() => ({
        ...openAiCompletion(validAnswer),
        until: sleep(40),
      }));
    }
    cluster.jobProvider = await HoldingProvider.start();
    await cluster.migrate();
    await cluster.startReplica('a');
    await cluster.startReplica('b');
    for (let index = 0; index < 2; index++) await cluster.startWorker();
    const replicas = [
      { name: 'a', port: cluster.replicaPorts.a },
      { name: 'b', port: cluster.replicaPorts.b },
    ];
    cluster.#haproxy = await Haproxy.start(
      cluster.#directory,
      haproxyConfig(cluster.#balancerPort, replicas, cluster.#statsSocket),
    );
    await cluster.#balancerReachesBoth();
    return cluster;
  }

  /** haproxy marks a replica up after its first passing check: wait until answers come from both. */
  async #balancerReachesBoth(): Promise<void> {
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 400 && seen.size < 2; attempt++) {
      const response = await fetch(`${this.balancerUrl}/v1/health/ready`).catch(() => undefined);
      const replica = response?.status === 200 ? response.headers.get('x-replica') : null;
      if (replica) seen.add(replica);
      else await sleep(25);
    }
    if (seen.size < 2) throw new Error(`haproxy reached only ${[...seen].join(', ') || 'no replica'}`);
  }

  get #statsSocket(): string {
    return join(this.#directory, 'haproxy.sock');
  }

  /** Requests haproxy has open with each replica right now. */
  inFlightPerReplica(): Promise<Record<string, number>> {
    return Haproxy.currentSessions(this.#statsSocket);
  }

  get balancerUrl(): string {
    return `http://127.0.0.1:${this.#balancerPort}`;
  }

  replicaUrl(name: 'a' | 'b'): string {
    return `http://127.0.0.1:${this.replicaPorts[name]}`;
  }

  /** Settings every process shares; each process gets its own `OPENAI_BASE_URL`. */
  sharedEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.postgres.url,
      REDIS_URL: this.redis.url,
      SPS_ADMIN_KEY: adminKey,
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      MIGRATE_ON_BOOT: 'false',
      DEFAULT_RATE_LIMIT_PER_HOUR: '1000000',
      IP_REQUESTS_PER_MINUTE: '1000000',
      AUTH_FAILURES_PER_MINUTE: '1000000',
      KEY_CACHE_TTL_MS: '5000',
      JOB_QUEUE: 'bullmq',
      JOB_WORKER_IN_PROCESS: 'false',
      JOB_LEASE_MS: '2000',
      JOB_POLL_INTERVAL_MS: '50',
      JOB_WORKER_CONCURRENCY: '4',
      LOG_LEVEL: 'warn',
    };
  }

  async migrate(): Promise<string> {
    const { stdout } = await promisify(execFile)(process.execPath, [migrateEntry, 'up'], {
      env: { PATH: process.env.PATH ?? '', ...this.sharedEnv() },
    });
    return stdout.trim();
  }

  /** Starts replica `name` on its fixed port, so haproxy finds a replacement where the old one was. */
  async startReplica(name: 'a' | 'b'): Promise<ServerProcess> {
    const server = await spawnServer({
      ...this.sharedEnv(),
      OPENAI_BASE_URL: `${this.apiProviders[name].url}/v1`,
      PORT: String(this.replicaPorts[name]),
    });
    this.replicas.set(name, server);
    return server;
  }

  async startWorker(): Promise<WorkerProcess> {
    const worker = await spawnWorker({
      ...this.sharedEnv(),
      OPENAI_BASE_URL: `${this.jobProvider.fake.url}/v1`,
    });
    this.workers.push(worker);
    return worker;
  }

  /** Provider calls the API replicas made, both together. */
  apiCalls(): number {
    return Object.values(this.apiProviders).reduce((sum, provider) => sum + provider.requests.length, 0);
  }

  replica(name: 'a' | 'b'): ServerProcess {
    const server = this.replicas.get(name);
    if (!server) throw new Error(`replica ${name} is not running`);
    return server;
  }

  async stop(): Promise<void> {
    await this.#haproxy?.stop();
    for (const server of this.replicas.values()) await killHard(server.child);
    for (const worker of this.workers) await killHard(worker.child);
    for (const provider of Object.values(this.apiProviders)) await provider.close();
    await this.jobProvider?.fake.close();
    await this.redis?.stop();
    await this.postgres?.stop();
    rmSync(this.#directory, { recursive: true, force: true });
  }
}
