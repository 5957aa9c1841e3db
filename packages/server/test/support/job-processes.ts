import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { type CapturedRequest, FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import pg from 'pg';
import { validAnswer } from './fake-openai-app.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const repositoryRoot = resolve(import.meta.dirname, '../../../..');
const workerEntry = join(repositoryRoot, 'packages/server/src/features/jobs/worker-main.ts');

/**
 * A fake OpenAI that can hold its answers: while held, requests wait unanswered (a worker killed then
 * leaves them unanswered for good). Counts answers per item token, so a test can prove each item
 * reached the provider and was answered exactly once.
 */
export class HoldingProvider {
  readonly fake: FakeVendorServer;
  readonly #holder: Holder;
  #release: () => void = () => {};

  private constructor(fake: FakeVendorServer, holder: Holder) {
    this.fake = fake;
    this.#holder = holder;
  }

  static async start(): Promise<HoldingProvider> {
    const holder: Holder = { held: new Set() };
    const fake = await FakeVendorServer.start((request) => {
      if (!holder.gate) return openAiCompletion(validAnswer);
      holder.held.add(request);
      // Held answers wait for the release, at most 20 s (inside the provider timeout).
      return { ...openAiCompletion(validAnswer), until: Promise.race([holder.gate, sleep(20_000)]) };
    });
    return new HoldingProvider(fake, holder);
  }

  hold(): void {
    this.#holder.gate = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  /** Held requests still open get their answers; a process killed meanwhile never reads them. */
  release(): void {
    this.#holder.gate = undefined;
    this.#holder.held.clear();
    this.#release();
  }

  /** Answered calls per item token (`item-<n>` in the prompt). */
  answeredPerItem(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.fake.requests) {
      if (request.abortedByClient || this.#holder.held.has(request)) continue;
      if (!request.path.endsWith('/chat/completions')) continue;
      const token = /item-\d+-[0-9a-f]+/.exec(JSON.stringify(request.body))?.[0] ?? 'unknown';
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    return counts;
  }

  answered(): number {
    return [...this.answeredPerItem().values()].reduce((sum, count) => sum + count, 0);
  }

  /** Requests the provider holds open right now. */
  inFlight(): number {
    return [...this.#holder.held].filter((request) => !request.abortedByClient).length;
  }
}

interface Holder {
  gate?: Promise<void>;
  held: Set<CapturedRequest>;
}

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

/** Starts `npm run worker`'s entry with `env` and waits until it says it runs. */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerEntry], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  for (let waited = 0; !out.includes('Job worker running'); waited += 50) {
    if (child.exitCode !== null || waited > 60_000) throw new Error(`the worker did not start:\n${out}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return { child, output: () => out };
}

/** kill -9, and wait until the process is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

const postgresAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A PostgreSQL database of its own (several processes share it by URL); dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sps_jobs_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
