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
import { type BenchChild, residentMegabytes, runChild } from './child-processes.ts';

/** The load scenarios. Each one warms up first, then measures; prompts never repeat across runs. */

export interface Timing {
  durationSeconds: number;
  warmupSeconds: number;
  /** Told the measured window (epoch milliseconds) after the run: the profiler cuts to it. */
  onWindow?: (startEpochMs: number, endEpochMs: number) => void;
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
    (job.durationSeconds + (job.warmupSeconds ?? 0) + 60) * 1000,
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
export async function withRssSampling<T>(
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
  const summary = await runLoad({
    url: `http://127.0.0.1:${baseline.port}/`,
    connections: 64,
    ...measured(timing, baseline.pid),
    headers: {},
    body: analyzeBody(basePrompt),
  });
  return { scenario: 'baseline (bare Fastify)', connections: 64, ...summary, ...cpuFigures(summary) };
}

/** Warm-up and window of one load run, with the CPU time of `pid` read over the window. */
function measured(timing: Timing, pid: number) {
  return { warmupSeconds: timing.warmupSeconds, durationSeconds: timing.durationSeconds, cpuPid: pid };
}

/**
 * Runs `load` with the fake's delays spread out during the first half of the warm-up.
 *
 * autocannon opens every connection at once, so with a provider that answers after exactly N ms all
 * of them send, wait and answer in lock-step: the whole population arrives as one wave per cycle and
 * the wave waits for one event loop. Nothing in the measured code breaks the lock-step (a fixed delay
 * keeps the phases where they are), so the figures would measure queueing behind a synthetic burst,
 * not what a gateway adds for independent clients. For the first half of the warm-up the fake answers
 * after a delay drawn from [N/2, 3N/2], which spreads the connections over the cycle; from then on,
 * and through the whole measured window, every answer takes exactly N ms again.
 */
export async function withSpreadPhases<T>(
  fake: FakeProvider,
  delayMs: number,
  timing: Timing,
  load: () => Promise<T>,
): Promise<T> {
  if (delayMs <= 0 || timing.warmupSeconds <= 0) {
    await fake.setDelay(delayMs);
    return load();
  }
  await fake.setDelay(delayMs, delayMs / 2);
  // The last jittered answers (at most 1.5 × delay) must be in before the window opens.
  const spreadMs = Math.max(
    0,
    Math.min(timing.warmupSeconds * 500, timing.warmupSeconds * 1000 - 2 * delayMs),
  );
  let settled: Promise<void> | undefined;
  const timer = setTimeout(() => {
    settled = fake.setDelay(delayMs);
  }, spreadMs);
  try {
    return await load();
  } finally {
    clearTimeout(timer);
    await (settled ?? fake.setDelay(delayMs));
  }
}

/** One load of `url` at a provider delay, with spread arrivals, as a table row (CPU of `cpuPid`). */
async function delayedRow(
  fake: FakeProvider,
  timing: Timing,
  options: { delayMs: number; connections: number },
  target: { scenario: string; url: string; cpuPid: number },
): Promise<LoadRow> {
  await waitForQuiet(fake);
  const summary = await withSpreadPhases(fake, options.delayMs, timing, () =>
    runLoad({
      url: target.url,
      connections: options.connections,
      ...measured(timing, target.cpuPid),
      headers: {},
      body: analyzeBody(basePrompt),
    }),
  );
  await fake.setDelay(0);
  return { scenario: target.scenario, connections: options.connections, ...summary, ...cpuFigures(summary) };
}

/**
 * The reference for scenario 4: the load generator straight against the fake provider, same delay and
 * connections, no gateway in between. Its p50 and p99 above the nominal delay are what this machine's
 * load generator, loopback and the fake's timers add by themselves; what a gateway adds is its own
 * row minus this one.
 */
export function directProviderScenario(
  fake: FakeProvider,
  timing: Timing,
  options: { delayMs: number; connections: number },
): Promise<LoadRow> {
  return delayedRow(fake, timing, options, {
    scenario: `provider direct, ${options.delayMs} ms (reference)`,
    url: `${fake.baseUrl}/v1/chat/completions`,
    cpuPid: fake.child.pid,
  });
}

/**
 * The floor for scenario 4: the bare proxy route of the baseline server against the fake provider at
 * the same latency and connection count. Whatever it adds over the provider's delay, any Node.js
 * gateway on this machine adds too.
 */
export function proxyFloorScenario(
  baseline: BenchChild,
  fake: FakeProvider,
  timing: Timing,
  options: { delayMs: number; connections: number },
): Promise<LoadRow> {
  return delayedRow(fake, timing, options, {
    scenario: `bare proxy, provider ${options.delayMs} ms (floor)`,
    url: `http://127.0.0.1:${baseline.port}/proxy`,
    cpuPid: baseline.pid,
  });
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
  const summary = await runLoad({
    ...analyzeJob(service, 64, timing.durationSeconds),
    ...measured(timing, service.child.pid),
  });
  timing.onWindow?.(summary.windowStartEpochMs, summary.windowEndEpochMs);
  return { scenario: 'cache hit', connections: 64, ...summary, ...cpuFigures(summary) };
}

export function cpuFigures(summary: LoadSummary) {
  const cpuMs = summary.cpuMs ?? Number.NaN;
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
  await waitForQuiet(fake);
  await fake.resetCalls();
  const { result: summary, peakMb } = await withRssSampling(service.child.pid, () =>
    withSpreadPhases(fake, options.delayMs, timing, () =>
      runLoad({
        ...analyzeJob(service, options.connections, timing.durationSeconds, options.tag),
        ...measured(timing, service.child.pid),
      }),
    ),
  );
  timing.onWindow?.(summary.windowStartEpochMs, summary.windowEndEpochMs);
  // Counted after the backlog drained: every accepted request of the run (warm-up included),
  // answered in time or not; with distinct prompts it should equal completedWithWarmup or exceed it.
  await waitForQuiet(fake);
  const row: LoadRow = {
    scenario: options.label,
    connections: options.connections,
    ...summary,
    ...cpuFigures(summary),
    peakRssMb: peakMb,
    providerCalls: await fake.calls(),
  };
  await fake.setDelay(0);
  return row;
}
