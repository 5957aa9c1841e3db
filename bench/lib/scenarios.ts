import { join } from 'node:path';
import type { LoadJob, LoadSummary } from '../load-generator.ts';
import {
  analyzeOnce,
  type FakeProvider,
  type MemorySplit,
  memorySplit,
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

const basePrompt = 'Translate "good morning, see you on Friday at the Louvre" into French';
const runId = Date.now().toString(36);

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

function analyzeJob(service: Service, connections: number, seconds: number, distinct?: string): LoadJob {
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

export interface BatchResult {
  prompts: number;
  distinctPrompts: number;
  providerDelayMs: number;
  concurrency: number;
  sequentialMs: number;
  concurrentMs: number;
  speedUp: number;
  sequentialProviderCalls: number;
  concurrentProviderCalls: number;
  non2xx: number;
}

/** 80 distinct prompts plus 20 repeats, each repeat a few places after its original so some overlap in flight. */
function batchPrompts(tag: string): string[] {
  const originals = Array.from({ length: 80 }, (_, index) => `${tag}-${runId} item ${index} ${basePrompt}`);
  const prompts: string[] = [];
  originals.forEach((prompt, index) => {
    prompts.push(prompt);
    // Items 0, 4, 8 … 76 come again right after item +2: 20 repeats.
    if (index % 4 === 2) prompts.push(originals[index - 2]!);
  });
  return prompts;
}

/**
 * No batch endpoint exists yet, so "batch" means concurrent single requests (DESIGN.md: identical
 * requests in flight share one provider call); compared with the same prompts one by one.
 */
export async function batchScenario(
  service: Service,
  fake: FakeProvider,
  delayMs: number,
): Promise<BatchResult> {
  const concurrency = 20;
  await fake.setDelay(delayMs);
  let non2xx = 0;
  const send = async (prompt: string): Promise<void> => {
    const answer = await analyzeOnce(service, prompt);
    if (answer.status < 200 || answer.status > 299) non2xx += 1;
  };

  const sequential = batchPrompts('sequential');
  await waitForQuiet(fake);
  await fake.resetCalls();
  const sequentialStart = performance.now();
  for (const prompt of sequential) await send(prompt);
  const sequentialMs = performance.now() - sequentialStart;
  const sequentialProviderCalls = await fake.calls();

  const concurrent = batchPrompts('concurrent');
  await fake.resetCalls();
  const concurrentStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < concurrent.length) await send(concurrent[next++]!);
    }),
  );
  const concurrentMs = performance.now() - concurrentStart;
  const concurrentProviderCalls = await fake.calls();
  await fake.setDelay(0);
  return {
    prompts: concurrent.length,
    distinctPrompts: new Set(concurrent).size,
    providerDelayMs: delayMs,
    concurrency,
    sequentialMs,
    concurrentMs,
    speedUp: sequentialMs / concurrentMs,
    sequentialProviderCalls,
    concurrentProviderCalls,
    non2xx,
  };
}

export interface SoakResult {
  minutes: number;
  /** JS heap after a full collection, under load: growth here is a leak, not lazy collection. */
  heapAtOneMinute?: MemorySplit;
  heapAtEnd?: MemorySplit;
  rssAtOneMinuteMb: number;
  rssAtEndMb: number;
  growthMb: number;
  samples: Array<{ seconds: number; rssMb: number }>;
  load: LoadSummary;
}

/** Scenario 3 for several minutes, RSS sampled every 10 s: a leak shows as a steady climb. */
export async function soakScenario(
  service: Service,
  fake: FakeProvider,
  minutes: number,
): Promise<SoakResult> {
  await fake.setDelay(0);
  const samples: SoakResult['samples'] = [];
  const start = performance.now();
  const timer = setInterval(() => {
    samples.push({
      seconds: Math.round((performance.now() - start) / 1000),
      rssMb: residentMegabytes(service.child.pid),
    });
  }, 10_000);
  let heapAtOneMinute: MemorySplit | undefined;
  let heapAtEnd: MemorySplit | undefined;
  const heapTimers = [
    setTimeout(async () => {
      heapAtOneMinute = await memorySplit(service);
    }, 60_000),
    setTimeout(
      async () => {
        heapAtEnd = await memorySplit(service);
      },
      minutes * 60_000 - 5000,
    ),
  ];
  let load: LoadSummary;
  try {
    load = await runLoad(analyzeJob(service, 64, minutes * 60, 'soak'));
  } finally {
    clearInterval(timer);
    for (const heapTimer of heapTimers) clearTimeout(heapTimer);
  }
  const atOneMinute = samples.find((sample) => sample.seconds >= 60) ?? samples[0];
  const atEnd = samples.at(-1);
  const rssAtOneMinuteMb = atOneMinute?.rssMb ?? Number.NaN;
  const rssAtEndMb = atEnd?.rssMb ?? Number.NaN;
  return {
    minutes,
    heapAtOneMinute,
    heapAtEnd,
    rssAtOneMinuteMb,
    rssAtEndMb,
    growthMb: rssAtEndMb - rssAtOneMinuteMb,
    samples,
    load,
  };
}
