import { describe, expect, it } from 'vitest';
import { formatPairedLatency, runQueueWait, summarizeLatencyPairs, toLatencyPair } from './paired-latency.ts';
import { checkTargets, stealWarnings } from './report.ts';
import { benchResults, loadRow } from './test-fixtures.ts';

const settings = { delayMs: 200, connections: 256, windowSeconds: 10 };
const direct = (p50Ms: number, p99Ms: number, hostStealShare = 0) =>
  loadRow('provider direct, 200 ms (reference)', { p50Ms, p99Ms, hostStealShare });
const service = (p50Ms: number, p99Ms: number, hostStealShare = 0) =>
  loadRow('provider 200 ms, cache miss', { p50Ms, p99Ms, hostStealShare, cpuMsPerRequest: 0.4 });

const verdict = (checks: ReturnType<typeof checkTargets>, prefix: string) =>
  checks.find((check) => check.target.startsWith(prefix));

describe('one pair of latency windows', () => {
  it('subtracts the direct path from the service per percentile and keeps both windows’ steal', () => {
    const pair = toLatencyPair(direct(201, 204, 0.001), service(203.5, 221, 0.06), true);
    expect(pair.addedP50Ms).toBeCloseTo(2.5, 9);
    expect(pair.addedP99Ms).toBeCloseTo(17, 9);
    expect(pair.service.stealShare).toBe(0.06);
    expect(pair.direct.stealShare).toBe(0.001);
    expect(pair.serviceFirst).toBe(true);
  });
});

describe('time the main thread waited for a core', () => {
  it('is spread over the window’s requests and over its wake-ups', () => {
    // 12,000 requests, 1,020 ms runnable without a core over 5,100 wake-ups.
    const row = loadRow('provider 200 ms, cache miss', {
      completed: 12_000,
      mainThreadRunQueueMs: 1020,
      mainThreadSlices: 5100,
    });
    expect(runQueueWait(row)).toEqual({ perRequestUs: 85, perWakeupUs: 200 });
  });

  it('is left out when the kernel did not report it or nothing completed', () => {
    expect(runQueueWait(loadRow('x', { completed: 10 }))).toBeUndefined();
    expect(
      runQueueWait(loadRow('x', { completed: 0, mainThreadRunQueueMs: 5, mainThreadSlices: 3 })),
    ).toBeUndefined();
  });

  it('is printed per pair, the service’s beside the fake’s', () => {
    const withWait = (row: ReturnType<typeof loadRow>, waitMs: number, slices: number) => ({
      ...row,
      completed: 10_000,
      mainThreadRunQueueMs: waitMs,
      mainThreadSlices: slices,
    });
    const pair = toLatencyPair(
      withWait(direct(201, 204), 300, 6000),
      withWait(service(203, 220), 900, 4500),
      false,
    );
    expect(pair.service.runQueue).toEqual({ perRequestUs: 90, perWakeupUs: 200 });
    expect(pair.direct.runQueue).toEqual({ perRequestUs: 30, perWakeupUs: 50 });
    const text = formatPairedLatency(summarizeLatencyPairs([pair], settings, 0));
    expect(text).toContain(
      'main thread runnable without a core, service / fake on the direct path: 90 µs/req (200 µs per wake-up) / 30 µs/req (50 µs per wake-up)',
    );
  });
});

describe('the 200 ms targets on paired windows', () => {
  // Added p50 of 1.5, 4.0 and 1.9 ms; added p99 of 12, 30 and 18 ms.
  const pairs = [
    toLatencyPair(direct(201, 204), service(202.5, 216), false),
    toLatencyPair(direct(201, 204), service(205, 234, 0.08), true),
    toLatencyPair(direct(201, 204), service(202.9, 222), false),
  ];
  const table = [service(202.5, 216), direct(201, 204)];

  it('are judged on the medians, whatever the worst or the table’s pair reads', () => {
    const paired = summarizeLatencyPairs(pairs, settings, 0);
    expect(paired.medianAddedP50Ms).toBeCloseTo(1.9, 9);
    expect(paired.medianAddedP99Ms).toBeCloseTo(18, 9);
    const checks = checkTargets(benchResults(table, undefined, paired), 200);
    expect(verdict(checks, 'added p50')).toMatchObject({
      met: true,
      measured: '1.9 ms (pairs 1.5 to 4.0 ms)',
    });
    expect(verdict(checks, 'added p99')).toMatchObject({
      met: true,
      measured: '18.0 ms (pairs 12.0 to 30.0 ms)',
    });
    expect(verdict(checks, 'zero errors')).toMatchObject({ met: true, measured: '0' });
  });

  it('miss when the median pair is over the line', () => {
    const slower = [...pairs, toLatencyPair(direct(201, 204), service(204, 240), true)];
    const checks = checkTargets(
      benchResults(table, undefined, summarizeLatencyPairs(slower, settings, 0)),
      200,
    );
    // Medians of four: (1.9 + 3.0) / 2 and (18 + 30) / 2.
    expect(verdict(checks, 'added p50')).toMatchObject({ met: false });
    expect(verdict(checks, 'added p50')?.measured).toMatch(/^2\.5 ms/);
    expect(verdict(checks, 'added p99')).toMatchObject({ met: false });
  });

  it('miss the error target when any window failed', () => {
    const checks = checkTargets(
      benchResults(table, undefined, summarizeLatencyPairs(pairs, settings, 2)),
      200,
    );
    expect(verdict(checks, 'zero errors')).toMatchObject({ met: false, measured: '2' });
  });

  it('fall back to the table’s single pair when only one pair ran', () => {
    const one = summarizeLatencyPairs(pairs.slice(1, 2), settings, 0);
    const checks = checkTargets(benchResults(table, undefined, one), 200);
    // The table's rows (+1.5 ms), not the lone pair's figures (+4.0 ms).
    expect(verdict(checks, 'added p50')).toMatchObject({ met: true, measured: '1.5 ms' });
  });

  it('print every pair with the steal of its service window', () => {
    const text = formatPairedLatency(summarizeLatencyPairs(pairs, settings, 0));
    expect(text).toContain('median p50 +1.9 ms, p99 +18.0 ms over the direct path, failures 0');
    expect(text).toContain("+4.0 / +30.0 ms (steal 8%, direct's 0%)");
  });
});

describe('steal warnings', () => {
  it('name the windows in which the hypervisor took 2% or more, and stay silent otherwise', () => {
    const rows = [
      loadRow('cache hit', { hostStealShare: 0.031 }),
      loadRow('baseline (bare Fastify)', { hostStealShare: 0.01 }),
    ];
    const pairs = [
      toLatencyPair(direct(201, 204), service(202.5, 216), false),
      toLatencyPair(direct(201, 204, 0.025), service(205, 234, 0.08), true),
    ];
    const [warning, ...more] = stealWarnings(rows, summarizeLatencyPairs(pairs, settings, 0));
    expect(more).toEqual([]);
    expect(warning).toContain(
      'in 3 window(s): cache hit 3%, latency pair 2, service 8%, latency pair 2, direct 3%',
    );
    expect(stealWarnings([loadRow('cache hit', { hostStealShare: 0.019 }), loadRow('cache miss')])).toEqual(
      [],
    );
  });
});
