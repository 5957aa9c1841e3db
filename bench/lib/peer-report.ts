import { failuresOf, median } from './paired-ratio.ts';
import type { FloorCheck } from './report.ts';
import type { LoadRow } from './scenarios.ts';

/**
 * The peer comparison's figures: every target's windows of one interleaved scenario, their medians,
 * and the ratios of ours to the peer's taken window by window (the windows of one round ran within
 * seconds of each other, so machine drift cancels out of each ratio).
 */

export type Side = 'ours' | 'peer' | 'direct';

export interface TargetWindows {
  target: string;
  side: Side;
  windows: LoadRow[];
  /** RSS of the target's process when idle, before the scenario, MB. */
  idleRssMb?: number;
}

export interface ComparedScenario {
  scenario: string;
  connections: number;
  providerDelayMs: number;
  targets: TargetWindows[];
}

interface TargetSummary {
  target: string;
  side: Side;
  requestsPerSecond: number;
  cpuMsPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  peakRssMb?: number;
  /** (peak RSS − idle RSS) / connections, in KB. */
  rssPerInFlightKb?: number;
  /** p50 and p99 over the direct path's, medians of the rounds' differences. */
  addedP50Ms?: number;
  addedP99Ms?: number;
}

const medianOf = (rows: readonly LoadRow[], pick: (row: LoadRow) => number | undefined): number =>
  median(rows.map(pick).filter(known));

/** Round by round differences to the direct path; the direct path's windows pair up by index. */
function addedOver(rows: readonly LoadRow[], direct: readonly LoadRow[], pick: (row: LoadRow) => number) {
  return median(
    rows.flatMap((row, round) => {
      const reference = direct[round];
      // A window that answered nothing has no percentile (NaN, or null once read back from JSON).
      return reference && known(pick(row)) && known(pick(reference)) ? [pick(row) - pick(reference)] : [];
    }),
  );
}

export function summarizeTarget(
  windows: TargetWindows,
  connections: number,
  direct?: TargetWindows,
): TargetSummary {
  const rows = windows.windows;
  const peaks = rows.map((row) => row.peakRssMb).filter((value): value is number => value !== undefined);
  const peakRssMb = peaks.length > 0 ? Math.max(...peaks) : undefined;
  return {
    target: windows.target,
    side: windows.side,
    requestsPerSecond: medianOf(rows, (row) => row.requestsPerSecond),
    cpuMsPerRequest: medianOf(rows, (row) => row.cpuMsPerRequest),
    p50Ms: medianOf(rows, (row) => row.p50Ms),
    p99Ms: medianOf(rows, (row) => row.p99Ms),
    failures: rows.reduce((sum, row) => sum + failuresOf(row), 0),
    ...(peakRssMb !== undefined ? { peakRssMb } : {}),
    ...(peakRssMb !== undefined && windows.idleRssMb !== undefined
      ? { rssPerInFlightKb: ((peakRssMb - windows.idleRssMb) * 1024) / connections }
      : {}),
    ...(direct && windows.side !== 'direct'
      ? {
          addedP50Ms: addedOver(rows, direct.windows, (row) => row.p50Ms),
          addedP99Ms: addedOver(rows, direct.windows, (row) => row.p99Ms),
        }
      : {}),
  };
}

export interface RoundRatio {
  median: number;
  min: number;
  max: number;
}

/** `pick(ours) / pick(peer)` in each round, then the median and range over the rounds. */
export function roundRatio(
  ours: TargetWindows,
  peer: TargetWindows,
  pick: (row: LoadRow) => number | undefined,
): RoundRatio {
  const ratios = ours.windows.flatMap((row, round) => {
    const mine = pick(row);
    const theirs = peer.windows[round] ? pick(peer.windows[round]) : undefined;
    return mine !== undefined && theirs !== undefined && theirs > 0 ? [mine / theirs] : [];
  });
  return {
    median: median(ratios),
    min: ratios.length > 0 ? Math.min(...ratios) : Number.NaN,
    max: ratios.length > 0 ? Math.max(...ratios) : Number.NaN,
  };
}

// Figures read back from JSON turn NaN into null: both print as '-'.
const known = (value: number | null | undefined): value is number =>
  typeof value === 'number' && !Number.isNaN(value);
const fixed = (value: number | null | undefined, digits = 2): string =>
  known(value) ? value.toFixed(digits) : '-';
const signed = (value: number | undefined): string =>
  !known(value) ? '-' : `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
export const formatRatio = (ratio: RoundRatio): string =>
  `${fixed(ratio.median)}× (rounds ${fixed(ratio.min)}–${fixed(ratio.max)})`;

export function formatCompared(compared: ComparedScenario): string {
  const direct = compared.targets.find((target) => target.side === 'direct');
  const header = [
    'target',
    'req/s',
    'CPU ms/req',
    'p50 ms',
    'p99 ms',
    'added p50',
    'added p99',
    'failures',
    'peak RSS MB',
    'KB/in flight',
  ];
  const lines = compared.targets.map((windows) => {
    const row = summarizeTarget(windows, compared.connections, direct);
    return [
      row.target,
      fixed(row.requestsPerSecond, 0),
      fixed(row.cpuMsPerRequest, 3),
      fixed(row.p50Ms, 1),
      fixed(row.p99Ms, 1),
      signed(row.addedP50Ms),
      signed(row.addedP99Ms),
      String(row.failures),
      fixed(row.peakRssMb, 1),
      fixed(row.rssPerInFlightKb, 1),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const render = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rounds = compared.targets[0]?.windows.length ?? 0;
  return [
    `${compared.scenario}: provider ${compared.providerDelayMs} ms, ${compared.connections} connections, ${rounds} interleaved round(s), medians`,
    render(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.map(render),
  ].join('\n');
}

/** A goal judged on a ratio or a figure, printed with `met` or `MISSED` like the floors. */
function goal(name: string, measured: number, limit: number, unit = '×'): FloorCheck {
  const shown = unit === '×' ? `${fixed(measured)}×` : `${fixed(measured, 1)} ${unit}`;
  return {
    floor: `${name} ≤ ${unit === '×' ? `${limit}×` : `${limit} ${unit}`}`,
    measured: shown,
    met: measured <= limit,
  };
}

export interface PeerComparison {
  realistic: ComparedScenario;
  slow: ComparedScenario;
  inFlight: ComparedScenario;
  idleRssMb: { ours: number; peer: number };
}

const find = (compared: ComparedScenario, prefix: string): TargetWindows | undefined =>
  compared.targets.find((target) => target.target.startsWith(prefix));
const cpu = (row: LoadRow) => row.cpuMsPerRequest;

/** The comparison's goals, each on the ratio of ours to the peer's or on an absolute bound. */
export function peerGoals(run: PeerComparison): { checks: FloorCheck[]; ratios: Record<string, RoundRatio> } {
  const ratios: Record<string, RoundRatio> = {};
  const checks: FloorCheck[] = [];
  const peerMiss = find(run.realistic, 'peer');
  for (const [key, prefix, limit] of [
    ['analyzeMissCpu', 'ours: /v1/analyze, miss', 0.5],
    ['chatMissCpu', 'ours: /v1/chat/completions', 0.5],
    ['analyzeHitCpu', 'ours: /v1/analyze, cache hit', 0.1],
  ] as const) {
    const ours = find(run.realistic, prefix);
    if (!ours || !peerMiss) continue;
    ratios[key] = roundRatio(ours, peerMiss, cpu);
    checks.push(goal(`${prefix}: CPU per request over the peer's miss`, ratios[key].median, limit));
  }
  const direct = find(run.slow, 'provider direct');
  const slowOurs = find(run.slow, 'ours: /v1/analyze');
  const slowPeer = find(run.slow, 'peer');
  if (direct && slowOurs && slowPeer) {
    const ours = summarizeTarget(slowOurs, run.slow.connections, direct);
    const peer = summarizeTarget(slowPeer, run.slow.connections, direct);
    checks.push(
      goal('200 ms × 256: added p50 over the peer’s', ratioOf(ours.addedP50Ms, peer.addedP50Ms), 0.5),
    );
    checks.push(
      goal('200 ms × 256: added p99 over the peer’s', ratioOf(ours.addedP99Ms, peer.addedP99Ms), 0.5),
    );
    checks.push(goal('200 ms × 256: our failures', ours.failures, 0, 'failures'));
  }
  const flightDirect = find(run.inFlight, 'provider direct');
  const flightOurs = find(run.inFlight, 'ours');
  if (flightDirect && flightOurs) {
    const ours = summarizeTarget(flightOurs, run.inFlight.connections, flightDirect);
    checks.push(goal('2 s × 2,000: our failures', ours.failures, 0, 'failures'));
    checks.push(goal('2 s × 2,000: our added p99', ours.addedP99Ms ?? Number.NaN, 50, 'ms'));
    checks.push(goal('2 s × 2,000: our peak RSS', ours.peakRssMb ?? Number.NaN, 600, 'MB'));
  }
  checks.push(goal('idle RSS over the peer’s', run.idleRssMb.ours - run.idleRssMb.peer, 20, 'MB'));
  return { checks, ratios };
}

/** Ours over theirs; a peer that adds nothing measurable makes any added latency of ours infinite. */
function ratioOf(ours: number | undefined, theirs: number | undefined): number {
  if (ours === undefined || theirs === undefined) return Number.NaN;
  if (theirs <= 0) return ours <= 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.max(0, ours) / theirs;
}
