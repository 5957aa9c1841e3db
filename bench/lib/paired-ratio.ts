import type { LoadSummary } from '../load-generator.ts';
import type { Service } from './bench-stack.ts';
import type { BenchChild } from './child-processes.ts';
import { analyzeBody, analyzeJob, basePrompt, runLoad } from './scenarios.ts';

/**
 * The cache-hit floor is a ratio of two throughputs. Measured in two windows a minute apart, as the
 * table's rows are, the ratio also measures how the shared host's speed drifted in between (the bare
 * baseline alone has cost 26 to 65 µs of main thread per request within three minutes, ADR 0021).
 * Alternating short windows of the two servers, in ABBA order, puts both under the same conditions;
 * the median of the per-pair ratios is the figure the floor is judged on, and every pair is kept.
 */

export interface RatioPair {
  baselineRps: number;
  hitRps: number;
  /** hit req/s over baseline req/s, both from this pair's windows. */
  ratio: number;
  /** Main-thread CPU per request in each window, µs. */
  baselineMainUs: number;
  hitMainUs: number;
  hitFirst: boolean;
}

export interface PairedRatio {
  windowSeconds: number;
  warmupSeconds: number;
  pairs: RatioPair[];
  median: number;
  min: number;
  max: number;
  /** Non-2xx answers and socket errors over every window of both servers. */
  failures: number;
}

export interface PairTiming {
  pairs: number;
  windowSeconds: number;
  warmupSeconds: number;
}

/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const mainUs = (summary: LoadSummary): number =>
  summary.completed > 0 ? ((summary.mainThreadCpuMs ?? Number.NaN) * 1000) / summary.completed : Number.NaN;
/** Non-2xx answers, socket errors and timeouts of one window. */
export const failuresOf = (summary: LoadSummary): number =>
  summary.non2xx + summary.errors + summary.timeouts;

/** One pair's figures from its two windows. */
export function toPair(baseline: LoadSummary, hit: LoadSummary, hitFirst: boolean): RatioPair {
  return {
    baselineRps: baseline.requestsPerSecond,
    hitRps: hit.requestsPerSecond,
    ratio: baseline.requestsPerSecond > 0 ? hit.requestsPerSecond / baseline.requestsPerSecond : Number.NaN,
    baselineMainUs: mainUs(baseline),
    hitMainUs: mainUs(hit),
    hitFirst,
  };
}

export function summarizePairs(
  pairs: RatioPair[],
  timing: Omit<PairTiming, 'pairs'>,
  failures: number,
): PairedRatio {
  const ratios = pairs.map((pair) => pair.ratio);
  return {
    ...timing,
    pairs,
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    failures,
  };
}

/**
 * Alternates cache-hit windows of `service` with windows of the bare baseline, 64 connections each.
 * The service's cache must already hold the answer (the cache-hit scenario leaves it there).
 */
export async function pairedHitRatio(
  baseline: BenchChild,
  service: Service,
  timing: PairTiming,
): Promise<PairedRatio> {
  const window = { durationSeconds: timing.windowSeconds, warmupSeconds: timing.warmupSeconds };
  const runBaseline = () =>
    runLoad({
      url: `http://127.0.0.1:${baseline.port}/`,
      connections: 64,
      ...window,
      cpuPid: baseline.pid,
      headers: {},
      body: analyzeBody(basePrompt),
    });
  const runHit = () =>
    runLoad({ ...analyzeJob(service, 64, timing.windowSeconds), ...window, cpuPid: service.child.pid });
  const pairs: RatioPair[] = [];
  let failures = 0;
  for (let index = 0; index < timing.pairs; index++) {
    // ABBA: a steady drift in the host's speed favours neither side.
    const hitFirst = index % 2 === 1;
    const first = await (hitFirst ? runHit() : runBaseline());
    const second = await (hitFirst ? runBaseline() : runHit());
    const [baselineSummary, hitSummary] = hitFirst ? [second, first] : [first, second];
    failures += failuresOf(baselineSummary) + failuresOf(hitSummary);
    pairs.push(toPair(baselineSummary, hitSummary, hitFirst));
  }
  return summarizePairs(
    pairs,
    { windowSeconds: timing.windowSeconds, warmupSeconds: timing.warmupSeconds },
    failures,
  );
}

/** A ratio as a whole percentage: 0.384 → "38%". */
export const percent = (value: number): string => `${(value * 100).toFixed(0)}%`;

export function formatPairedRatio(paired: PairedRatio): string {
  const each = paired.pairs
    .map(
      (pair) =>
        `${percent(pair.ratio)} (${pair.hitMainUs.toFixed(1)} / ${pair.baselineMainUs.toFixed(1)} µs)`,
    )
    .join(', ');
  return [
    `Cache hit against the baseline in ${paired.pairs.length} alternating pairs of ${paired.windowSeconds} s windows (ABBA):`,
    `  median ${percent(paired.median)} of the baseline's req/s, range ${percent(paired.min)}–${percent(paired.max)}, failures ${paired.failures}`,
    `  per pair, with main-thread µs per request (hit / baseline): ${each}`,
  ].join('\n');
}
