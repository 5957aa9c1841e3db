import { describe, expect, it } from 'vitest';
import { formatPairedLatency, summarizeLatencyPairs, toLatencyPair } from './paired-latency.ts';
import { checkFloors, stealWarnings } from './report.ts';
import { benchResults, loadRow } from './test-fixtures.ts';

const settings = { delayMs: 200, connections: 256, windowSeconds: 10 };
const direct = (p50Ms: number, p99Ms: number, hostStealShare = 0) =>
  loadRow('provider direct, 200 ms (reference)', { p50Ms, p99Ms, hostStealShare });
const service = (p50Ms: number, p99Ms: number, hostStealShare = 0) =>
  loadRow('provider 200 ms, cache miss', { p50Ms, p99Ms, hostStealShare, cpuMsPerRequest: 0.4 });

const verdict = (checks: ReturnType<typeof checkFloors>, prefix: string) =>
  checks.find((check) => check.floor.startsWith(prefix));

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

describe('the 200 ms floors on paired windows', () => {
  // Added p50 of 2.0, 8.0 and 4.5 ms; added p99 of 12, 45 and 25 ms.
  const pairs = [
    toLatencyPair(direct(201, 204), service(203, 216), false),
    toLatencyPair(direct(201, 204), service(209, 249, 0.08), true),
    toLatencyPair(direct(201, 204), service(205.5, 229), false),
  ];
  const table = [service(203, 216), direct(201, 204)];

  it('are judged on the medians, whatever the worst or the table’s pair reads', () => {
    const paired = summarizeLatencyPairs(pairs, settings, 0);
    expect(paired.medianAddedP50Ms).toBeCloseTo(4.5, 9);
    expect(paired.medianAddedP99Ms).toBeCloseTo(25, 9);
    const checks = checkFloors(benchResults(table, undefined, paired), 200);
    expect(verdict(checks, 'added p50')).toMatchObject({
      met: true,
      measured: '4.5 ms (pairs 2.0 to 8.0 ms)',
    });
    expect(verdict(checks, 'added p99')).toMatchObject({
      met: true,
      measured: '25.0 ms (pairs 12.0 to 45.0 ms)',
    });
    expect(verdict(checks, 'zero errors')).toMatchObject({ met: true, measured: '0' });
  });

  it('are missed when the median pair is over the line', () => {
    const slower = [...pairs, toLatencyPair(direct(201, 204), service(207, 244), true)];
    const checks = checkFloors(
      benchResults(table, undefined, summarizeLatencyPairs(slower, settings, 0)),
      200,
    );
    // Medians of four: (4.5 + 6.0) / 2 and (25 + 40) / 2.
    expect(verdict(checks, 'added p50')).toMatchObject({ met: false });
    expect(verdict(checks, 'added p50')?.measured).toMatch(/^5\.3 ms/);
    expect(verdict(checks, 'added p99')).toMatchObject({ met: false });
    expect(verdict(checks, 'added p99')?.measured).toMatch(/^32\.5 ms/);
  });

  it('miss the error floor when any window failed', () => {
    const checks = checkFloors(
      benchResults(table, undefined, summarizeLatencyPairs(pairs, settings, 2)),
      200,
    );
    expect(verdict(checks, 'zero errors')).toMatchObject({ met: false, measured: '2' });
  });

  it('fall back to the table’s single pair when only one pair ran', () => {
    const one = summarizeLatencyPairs(pairs.slice(1, 2), settings, 0);
    const checks = checkFloors(benchResults(table, undefined, one), 200);
    // The table's rows (+2.0 ms), not the lone pair's figures (+8.0 ms).
    expect(verdict(checks, 'added p50')).toMatchObject({ met: true, measured: '2.0 ms' });
  });

  it('print every pair with the steal of its service window', () => {
    const text = formatPairedLatency(summarizeLatencyPairs(pairs, settings, 0));
    expect(text).toContain('median p50 +4.5 ms, p99 +25.0 ms over the direct path, failures 0');
    expect(text).toContain("+8.0 / +45.0 ms (steal 8%, direct's 0%)");
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
