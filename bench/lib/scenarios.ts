import { join } from 'node:path';
import type { LoadJob, LoadSummary } from '../load-generator.ts';
import {
  analyzeOnce,
  type FakeProvider,
  nodeBinary,
  providerName,
  repoRoot,
  type Service,
} from './bench-stack.ts';
import { type BenchChild, cpuMilliseconds, residentMegabytes, runChild } from './child-processes.ts';

/** The load scenarios. Each one warms up first, then measures; prompts never repeat across runs. */

export interface Timing {
  durationSeconds: number;
  warmupSeconds: number;
  /** Called right before the measured run starts (after the warm-up): the profiler's window. */
  onMeasure?: () => void;
}

export interface LoadRow extends LoadSummary {
  scenario: string;
  connections: number;
  /** Service CPU time (user + system) per completed request, from /proc/<pid>/stat. */
  cpuMsPerRequest?: number;
  /** Service CPU time over wall time: 1.0 means one core fully busy. */
  cpuCores?: number;
  peakRssMb?: number;
  providerCalls?: number;
}

export const basePrompt = 'Translate "good morning, see you on Friday at the Louvre" into French';
export const runId = Date.now().toString(36);

export function analyzeBody(prompt: string): LoadJob['body'] {
  return { prompt, provider: providerName };
}

export async function runLoad(job: LoadJob): Promise<LoadSummary> {
  const stdout = await runChild(
    'load generator',
    nodeBinary,
    [join(repoRoot, 'bench', 'load-generator.ts'), JSON.stringify(job)],
    (job.durationSeconds + 60) * 1000,
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadSummary;
}

/**
 * Waits until the provider has seen no new call for a second: when autocannon stops, the service
 * still works off the requests it had already accepted, and their provider calls must not be
 * counted in the next measurement.
 */
export async function waitForQuiet(fake: FakeProvider, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = await fake.calls();
  let stableSince = performance.now();
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = await fake.calls();
    if (now !== last) {
      last = now;
      stableSince = performance.now();
    } else if (performance.now() - stableSince >= 1000) return;
  }
  throw new Error('the service kept calling the provider after the load stopped');
}

/** Samples the service's RSS while `work` runs; returns the work's result and the highest sample. */
async function withRssSampling<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; peakMb: number }> {
  let peakMb = residentMegabytes(pid);
  const timer = setInterval(() => {
    peakMb = Math.max(peakMb, residentMegabytes(pid));
  }, 250);
  try {
    const result = await work();
    peakMb = Math.max(peakMb, residentMegabytes(pid));
    return { result, peakMb };
  } finally {
    clearInterval(timer);
  }
}

export async function baselineScenario(baseline: BenchChild, timing: Timing): Promise<LoadRow> {
  const baselinePort = baseline.port;
  const job: LoadJob = {
    url: `http://127.0.0.1:${baselinePort}/`,
    connections: 64,
    durationSeconds: timing.warmupSeconds,
    headers: {},
    body: analyzeBody(basePrompt),
  };
  await runLoad(job);
  const cpuBefore = cpuMilliseconds(baseline.pid);
  const summary = await runLoad({ ...job, durationSeconds: timing.durationSeconds });
  return {
    scenario: 'baseline (bare Fastify)',
    connections: 64,
    ...summary,
    ...cpuFigures(baseline.pid, cpuBefore, summary),
  };
}

/**
 * The floor for scenario 4: the bare proxy route of the baseline server against the fake provider at
 * the same latency and connection count. Whatever it adds over the provider's delay, any Node.js
 * gateway on this machine adds too (under load the answers of 256 connections come back in waves).
 */
export async function proxyFloorScenario(
  baseline: BenchChild,
  fake: FakeProvider,
  timing: Timing,
  options: { delayMs: number; connections: number },
): Promise<LoadRow> {
  await fake.setDelay(options.delayMs);
  const job: LoadJob = {
    url: `http://127.0.0.1:${baseline.port}/proxy`,
    connections: options.connections,
    durationSeconds: timing.warmupSeconds,
    headers: {},
    body: analyzeBody(basePrompt),
  };
  await runLoad(job);
  await waitForQuiet(fake);
  const cpuBefore = cpuMilliseconds(baseline.pid);
  const summary = await runLoad({ ...job, durationSeconds: timing.durationSeconds });
  const row: LoadRow = {
    scenario: `bare proxy, provider ${options.delayMs} ms (floor)`,
    connections: options.connections,
    ...summary,
    ...cpuFigures(baseline.pid, cpuBefore, summary),
  };
  await fake.setDelay(0);
  return row;
}

export function analyzeJob(
  service: Service,
  connections: number,
  seconds: number,
  distinct?: string,
): LoadJob {
  return {
    url: `${service.baseUrl}/v1/analyze`,
    connections,
    durationSeconds: seconds,
    headers: { 'x-api-key': service.userKey },
    body: analyzeBody(basePrompt),
    ...(distinct ? { distinctPrefix: `${distinct}-${runId}` } : {}),
  };
}

export async function cacheHitScenario(service: Service, timing: Timing): Promise<LoadRow> {
  const first = await analyzeOnce(service, basePrompt);
  const second = await analyzeOnce(service, basePrompt);
  if (first.provider !== providerName || second.cached !== true) {
    throw new Error(`cache hit set-up failed: ${JSON.stringify({ first, second })}`);
  }
  await runLoad(analyzeJob(service, 64, timing.warmupSeconds));
  const cpuBefore = cpuMilliseconds(service.child.pid);
  timing.onMeasure?.();
  const summary = await runLoad(analyzeJob(service, 64, timing.durationSeconds));
  return {
    scenario: 'cache hit',
    connections: 64,
    ...summary,
    ...cpuFigures(service.child.pid, cpuBefore, summary),
  };
}

function cpuFigures(pid: number, cpuBefore: number, summary: LoadSummary) {
  const cpuMs = cpuMilliseconds(pid) - cpuBefore;
  return {
    cpuMsPerRequest: summary.completed > 0 ? cpuMs / summary.completed : Number.NaN,
    cpuCores: cpuMs / (summary.durationSeconds * 1000),
  };
}

/** Every request a new prompt: the whole pipeline and one provider call per request. */
export async function cacheMissScenario(
  service: Service,
  fake: FakeProvider,
  timing: Timing,
  options: { delayMs: number; connections: number; label: string; tag: string },
): Promise<LoadRow> {
  await fake.setDelay(options.delayMs);
  await runLoad(analyzeJob(service, options.connections, timing.warmupSeconds, `${options.tag}-warm`));
  await waitForQuiet(fake);
  await fake.resetCalls();
  const cpuBefore = cpuMilliseconds(service.child.pid);
  timing.onMeasure?.();
  const { result: summary, peakMb } = await withRssSampling(service.child.pid, () =>
    runLoad(analyzeJob(service, options.connections, timing.durationSeconds, options.tag)),
  );
  const cpu = cpuFigures(service.child.pid, cpuBefore, summary);
  // Counted after the backlog drained: every accepted request, answered in time or not.
  await waitForQuiet(fake);
  const row: LoadRow = {
    scenario: options.label,
    connections: options.connections,
    ...summary,
    ...cpu,
    peakRssMb: peakMb,
    providerCalls: await fake.calls(),
  };
  await fake.setDelay(0);
  return row;
}
