import { describe, expect, it } from 'vitest';
import { percentile } from '../load-generator.ts';
import { addedLatency, checkFloors, floors, formatOverhead } from './report.ts';
import { benchResults, loadRow } from './test-fixtures.ts';

const verdict = (checks: ReturnType<typeof checkFloors>, prefix: string) =>
  checks.find((check) => check.floor.startsWith(prefix));

describe('percentile', () => {
  it('takes the nearest rank of a sorted sample', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile(Float64Array.of(7), 0.99)).toBe(7);
    expect(percentile(new Float64Array(0), 0.5)).toBeNaN();
  });
});

describe('added latency at a provider delay', () => {
  const service = loadRow('provider 200 ms, cache miss', { p50Ms: 203.5, p99Ms: 220.5 });
  const direct = loadRow('provider direct, 200 ms (reference)', { p50Ms: 201, p99Ms: 204 });

  it('is measured over the direct path when it ran, with the nominal figures beside', () => {
    const added = addedLatency(service, direct, 200);
    expect(added.reference).toBe('direct');
    expect(added.p50Ms).toBeCloseTo(2.5, 9);
    expect(added.p99Ms).toBeCloseTo(16.5, 9);
    expect(added.nominal.p50Ms).toBeCloseTo(3.5, 9);
    expect(added.nominal.p99Ms).toBeCloseTo(20.5, 9);
    expect(formatOverhead(added)).toBe(
      'p50 +2.5 ms, p99 +16.5 ms over the direct path (p50 +3.5 ms, p99 +20.5 ms over the nominal delay)',
    );
  });

  it('falls back to the nominal delay without a reference row', () => {
    const added = addedLatency(service, undefined, 200);
    expect(added.reference).toBe('nominal');
    expect(added.p50Ms).toBeCloseTo(3.5, 9);
  });

  it('judges the 200 ms floors on the direct path', () => {
    // +2.5 / +16.5 ms over the direct path, +3.5 / +20.5 ms over the nominal delay.
    const checks = checkFloors(benchResults([service, direct]), 200);
    expect(verdict(checks, 'added p50')).toMatchObject({ met: true, measured: '2.5 ms' });
    expect(verdict(checks, 'added p99')).toMatchObject({ met: true, measured: '16.5 ms' });
    expect(verdict(checks, 'added p50')?.floor).toContain('over the direct path');
    const slower = loadRow('provider 200 ms, cache miss', { p50Ms: 206.5, p99Ms: 240 });
    const missed = checkFloors(benchResults([slower, direct]), 200);
    expect(verdict(missed, 'added p50')).toMatchObject({ met: false, measured: '5.5 ms' });
    expect(verdict(missed, 'added p99')).toMatchObject({ met: false, measured: '36.0 ms' });
    const withErrors = checkFloors(benchResults([{ ...service, non2xx: 3 }, direct]), 200);
    expect(verdict(withErrors, 'zero errors')).toMatchObject({ met: false, measured: '3' });
  });
});

describe('throughput and memory floors', () => {
  const results = (hitRps: number, missRps: number, idleRssMb: number) => ({
    ...benchResults([
      loadRow('baseline (bare Fastify)', { requestsPerSecond: 20_000 }),
      loadRow('cache hit', { requestsPerSecond: hitRps }),
      loadRow('cache miss, provider 0 ms', { requestsPerSecond: missRps }),
    ]),
    memory: { idleRssMb },
  });

  it('compare the cache hit with the baseline, and the miss and idle RSS with their absolute figures', () => {
    const checks = checkFloors(results(6_000, 2_500, 150), 200);
    expect(verdict(checks, 'cache hit')).toMatchObject({ met: true, measured: '30%' });
    expect(verdict(checks, 'cache miss')).toMatchObject({ met: true, measured: '2500 req/s' });
    expect(verdict(checks, 'idle RSS')).toMatchObject({ met: true, measured: '150.0 MB' });
  });

  it('are missed just under the line', () => {
    const checks = checkFloors(results(5_900, 2_499, 150.1), 200);
    expect(verdict(checks, 'cache hit')).toMatchObject({ met: false, measured: '30%' });
    expect(verdict(checks, 'cache miss')).toMatchObject({ met: false });
    expect(verdict(checks, 'idle RSS')).toMatchObject({ met: false });
  });

  it('name their thresholds from one table', () => {
    const checks = checkFloors(results(6_000, 2_500, 120), 200);
    expect(verdict(checks, 'cache hit')?.floor).toBe(
      `cache hit ≥ ${Math.round(floors.hitShareOfBaseline * 100)}% of baseline req/s`,
    );
    expect(verdict(checks, 'cache miss')?.floor).toBe('cache miss ≥ 2,500 req/s');
  });
});
