import type { LoadJob } from '../load-generator.ts';
import type { FakeProvider, Service } from './bench-stack.ts';
import type { Peer } from './peer.ts';
import type { ComparedScenario, Side, TargetWindows } from './peer-report.ts';
import {
  analyzeRealisticBody,
  chatCompletionBody,
  promptSlot,
  realisticPrompts,
} from './realistic-request.ts';
import {
  cpuFigures,
  type LoadRow,
  runId,
  runLoad,
  waitForQuiet,
  withRssSampling,
  withSpreadPhases,
} from './scenarios.ts';

/**
 * The realistic scenarios, ours beside the peer's: each target's windows interleaved with the
 * others' (A/B/C/A/B/C…), so a change in the machine's speed hits every target alike.
 */

export interface ComparisonTiming {
  rounds: number;
  windowSeconds: number;
  warmupSeconds: number;
}

interface Target {
  target: string;
  side: Side;
  cpuPid: number;
  /** Every request a new prompt (a prefix per window and a counter), so nothing is answered twice. */
  distinct: boolean;
  job: Omit<LoadJob, 'connections' | 'durationSeconds' | 'warmupSeconds' | 'cpuPid'>;
  idleRssMb?: number;
}

const realisticPrompting = { prompts: realisticPrompts, promptSlot };

function analyzeTarget(service: Service, cached: boolean, idleRssMb?: number): Target {
  return {
    target: cached ? 'ours: /v1/analyze, cache hit' : 'ours: /v1/analyze, miss',
    side: 'ours',
    cpuPid: service.child.pid,
    distinct: !cached,
    idleRssMb,
    job: {
      url: `${service.baseUrl}/v1/analyze`,
      headers: { 'x-api-key': service.userKey },
      body: analyzeRealisticBody(!cached),
      ...realisticPrompting,
    },
  };
}

function chatTarget(service: Service): Target {
  return {
    target: 'ours: /v1/chat/completions, miss',
    side: 'ours',
    cpuPid: service.child.pid,
    distinct: true,
    job: {
      url: `${service.baseUrl}/v1/chat/completions`,
      headers: { authorization: `Bearer ${service.userKey}` },
      body: chatCompletionBody(),
      ...realisticPrompting,
    },
  };
}

function peerTarget(peer: Peer, idleRssMb?: number): Target {
  return {
    target: 'peer: /v1/chat/completions',
    side: 'peer',
    cpuPid: peer.child.pid,
    distinct: true,
    idleRssMb,
    job: {
      url: `${peer.baseUrl}/v1/chat/completions`,
      headers: peer.headers,
      body: chatCompletionBody(),
      ...realisticPrompting,
    },
  };
}

function directTarget(fake: FakeProvider): Target {
  return {
    target: 'provider direct (reference)',
    side: 'direct',
    cpuPid: fake.child.pid,
    distinct: true,
    job: {
      url: `${fake.baseUrl}/realistic/v1/chat/completions`,
      headers: {},
      body: chatCompletionBody(),
      ...realisticPrompting,
    },
  };
}

/** One request through a target, outside any window: a probe or a cache fill. */
async function sendOnce(target: Target, prompt: string): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(target.job.body).replace(JSON.stringify(promptSlot), JSON.stringify(prompt));
  const response = await fetch(target.job.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.job.headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/**
 * Our OpenAI-compatible endpoint takes part when the service answers it: a probe request decides,
 * so the scenario list picks it up on the first run after it exists.
 */
async function chatTargetIfServed(service: Service, log: (line: string) => void): Promise<Target[]> {
  const target = chatTarget(service);
  const probe = await sendOnce(target, realisticPrompts[0] ?? '');
  if (probe.status === 200 && probe.text.includes('"choices"')) return [target];
  log(
    `our /v1/chat/completions not measured: the probe answered ${probe.status} ${probe.text.slice(0, 160)}`,
  );
  return [];
}

interface RunShape {
  scenario: string;
  connections: number;
  delayMs: number;
  sampleRss: boolean;
}

async function interleave(
  targets: readonly Target[],
  shape: RunShape,
  timing: ComparisonTiming,
  fake: FakeProvider,
): Promise<ComparedScenario> {
  const windows = targets.map(
    (target): TargetWindows => ({
      target: target.target,
      side: target.side,
      windows: [],
      ...(target.idleRssMb !== undefined ? { idleRssMb: target.idleRssMb } : {}),
    }),
  );
  const loadTiming = { durationSeconds: timing.windowSeconds, warmupSeconds: timing.warmupSeconds };
  for (let round = 0; round < timing.rounds; round += 1) {
    for (const [index, target] of targets.entries()) {
      await waitForQuiet(fake);
      const job: LoadJob = {
        ...target.job,
        connections: shape.connections,
        ...loadTiming,
        cpuPid: target.cpuPid,
        // A new prefix per window: no prompt repeats, whatever the load generator's counter.
        ...(target.distinct ? { distinctPrefix: `${runId}-${round}-${index}` } : {}),
      };
      const run = () => withSpreadPhases(fake, shape.delayMs, loadTiming, () => runLoad(job));
      const { result, peakMb } = shape.sampleRss
        ? await withRssSampling(target.cpuPid, run)
        : { result: await run(), peakMb: undefined };
      const row: LoadRow = {
        scenario: target.target,
        connections: shape.connections,
        ...result,
        ...cpuFigures(result),
      };
      windows[index]?.windows.push(peakMb === undefined ? row : { ...row, peakRssMb: peakMb });
    }
  }
  await fake.setDelay(0);
  return {
    scenario: shape.scenario,
    connections: shape.connections,
    providerDelayMs: shape.delayMs,
    targets: windows,
  };
}

export interface PeerRun {
  realistic: ComparedScenario;
  slow: ComparedScenario;
  inFlight: ComparedScenario;
  idleRssMb: { ours: number; peer: number };
}

/** The three interleaved scenarios, in order: realistic at 0 ms, 200 ms × 256, 2 s × 2,000. */
export async function peerComparison(
  parts: { service: Service; peer: Peer; fake: FakeProvider },
  timing: ComparisonTiming,
  idleRssMb: { ours: number; peer: number },
  log: (line: string) => void,
): Promise<PeerRun> {
  const { service, peer, fake } = parts;
  const hit = analyzeTarget(service, true);
  // Fill the cache with every prompt the hit windows send.
  for (const prompt of realisticPrompts) {
    const filled = await sendOnce(hit, prompt);
    if (filled.status !== 200) throw new Error(`realistic request failed: ${filled.status} ${filled.text}`);
  }
  const chat = await chatTargetIfServed(service, log);
  log(`peer: realistic requests, provider 0 ms, 64 connections, ${timing.rounds} interleaved rounds…`);
  const realistic = await interleave(
    [analyzeTarget(service, false), hit, ...chat, peerTarget(peer)],
    { scenario: 'realistic', connections: 64, delayMs: 0, sampleRss: false },
    timing,
    fake,
  );
  log('peer: provider 200 ms, 256 connections…');
  const slow = await interleave(
    [directTarget(fake), analyzeTarget(service, false), ...chat, peerTarget(peer)],
    { scenario: 'provider 200 ms', connections: 256, delayMs: 200, sampleRss: false },
    { ...timing, warmupSeconds: Math.max(timing.warmupSeconds, 3) },
    fake,
  );
  log('peer: provider 2 s, 2,000 connections…');
  const inFlight = await interleave(
    [directTarget(fake), analyzeTarget(service, false, idleRssMb.ours), peerTarget(peer, idleRssMb.peer)],
    { scenario: 'many in flight', connections: 2000, delayMs: 2000, sampleRss: true },
    // Long enough a warm-up to spread 2,000 connections over the 2 s cycle; one round.
    { rounds: 1, windowSeconds: Math.max(timing.windowSeconds, 10), warmupSeconds: 8 },
    fake,
  );
  return { realistic, slow, inFlight, idleRssMb };
}

/** One load of realistic misses through /v1/analyze (for the `--profile` run), its window reported. */
export async function realisticMissLoad(
  service: Service,
  timing: { durationSeconds: number; warmupSeconds: number; onWindow?: (start: number, end: number) => void },
): Promise<LoadRow> {
  const target = analyzeTarget(service, false);
  const summary = await runLoad({
    ...target.job,
    connections: 64,
    durationSeconds: timing.durationSeconds,
    warmupSeconds: timing.warmupSeconds,
    cpuPid: target.cpuPid,
    distinctPrefix: `${runId}-profile`,
  });
  timing.onWindow?.(summary.windowStartEpochMs, summary.windowEndEpochMs);
  return { scenario: target.target, connections: 64, ...summary, ...cpuFigures(summary) };
}
