import type { FakeProvider, Service } from './bench-stack.ts';
import { failuresOf, median, percent } from './paired-ratio.ts';
import { cacheMissScenario, directProviderScenario, type LoadRow, type Timing } from './scenarios.ts';

/**
 * The 200 ms floors are differences of two windows' percentiles: the service's and the direct path's.
 * On a shared host one window of each is a draw (the same code read an added p50 from +1.6 to +6.0 ms
 * within an hour, the slow windows being those in which the hypervisor took CPU time, ADR 0022). So the
 * scenario runs in several pairs of windows, alternating which side goes first (ABBA), and the floors
 * are judged on the medians of the pairs' added p50 and p99. Each pair keeps the steal of both windows.
 */

/** One window of a pair: its percentiles and the host's steal. */
interface PairWindow {
  p50Ms: number;
  p99Ms: number;
  stealShare?: number;
}

export interface LatencyPair {
  direct: PairWindow;
  service: PairWindow & { cpuMsPerRequest?: number };
  /** Service minus direct, per percentile. */
  addedP50Ms: number;
  addedP99Ms: number;
  serviceFirst: boolean;
}

export interface PairedLatency {
  delayMs: number;
  connections: number;
  windowSeconds: number;
  pairs: LatencyPair[];
  medianAddedP50Ms: number;
  medianAddedP99Ms: number;
  /** Non-2xx answers, socket errors and timeouts over every window, both sides. */
  failures: number;
}

export interface LatencyPairOptions {
  pairs: number;
  delayMs: number;
  connections: number;
}

function pairWindow(row: LoadRow): PairWindow {
  return { p50Ms: row.p50Ms, p99Ms: row.p99Ms, stealShare: row.hostStealShare };
}

export function toLatencyPair(direct: LoadRow, service: LoadRow, serviceFirst: boolean): LatencyPair {
  return {
    direct: pairWindow(direct),
    service: { ...pairWindow(service), cpuMsPerRequest: service.cpuMsPerRequest },
    addedP50Ms: service.p50Ms - direct.p50Ms,
    addedP99Ms: service.p99Ms - direct.p99Ms,
    serviceFirst,
  };
}

export function summarizeLatencyPairs(
  pairs: LatencyPair[],
  settings: Omit<PairedLatency, 'pairs' | 'medianAddedP50Ms' | 'medianAddedP99Ms' | 'failures'>,
  failures: number,
): PairedLatency {
  return {
    ...settings,
    pairs,
    medianAddedP50Ms: median(pairs.map((pair) => pair.addedP50Ms)),
    medianAddedP99Ms: median(pairs.map((pair) => pair.addedP99Ms)),
    failures,
  };
}

/**
 * Runs `options.pairs` pairs of the direct and the service window at the provider delay. The first
 * pair is the table's two rows (direct first), returned apart so the table shows them as before.
 */
export async function pairedLatency(
  fake: FakeProvider,
  service: Service,
  timing: Timing,
  options: LatencyPairOptions,
): Promise<{ first: { direct: LoadRow; service: LoadRow }; paired: PairedLatency }> {
  const shape = { delayMs: options.delayMs, connections: options.connections };
  const runDirect = () => directProviderScenario(fake, timing, shape);
  const runService = (round: number) =>
    cacheMissScenario(service, fake, timing, {
      ...shape,
      label: `provider ${options.delayMs} ms, cache miss`,
      // Distinct prompts per window: every request of every window is a miss.
      tag: round === 0 ? 'slow' : `slow-${round}`,
    });
  const pairs: LatencyPair[] = [];
  let failures = 0;
  let first: { direct: LoadRow; service: LoadRow } | undefined;
  for (let round = 0; round < Math.max(1, options.pairs); round++) {
    // ABBA: a steady drift of the host's speed favours neither side.
    const serviceFirst = round % 2 === 1;
    const a = await (serviceFirst ? runService(round) : runDirect());
    const b = await (serviceFirst ? runDirect() : runService(round));
    const [direct, slow] = serviceFirst ? [b, a] : [a, b];
    first ??= { direct, service: slow };
    failures += failuresOf(direct) + failuresOf(slow);
    pairs.push(toLatencyPair(direct, slow, serviceFirst));
  }
  return {
    first: first!,
    paired: summarizeLatencyPairs(
      pairs,
      { delayMs: options.delayMs, connections: options.connections, windowSeconds: timing.durationSeconds },
      failures,
    ),
  };
}

const share = (value: number | undefined): string => (value === undefined ? '?' : percent(value));
const signed = (ms: number): string => `${ms >= 0 ? '+' : ''}${ms.toFixed(1)}`;

export function formatPairedLatency(paired: PairedLatency): string {
  const each = paired.pairs
    .map(
      (pair) =>
        `${signed(pair.addedP50Ms)} / ${signed(pair.addedP99Ms)} ms (steal ${share(pair.service.stealShare)}, direct's ${share(pair.direct.stealShare)})`,
    )
    .join(', ');
  return [
    `Added latency at ${paired.delayMs} ms, ${paired.connections} connections, in ${paired.pairs.length} alternating pairs of ${paired.windowSeconds} s windows (service and direct path, ABBA):`,
    `  median p50 ${signed(paired.medianAddedP50Ms)} ms, p99 ${signed(paired.medianAddedP99Ms)} ms over the direct path, failures ${paired.failures}`,
    `  per pair, p50 / p99 over the direct path, with the host's steal in the service's window: ${each}`,
  ].join('\n');
}
