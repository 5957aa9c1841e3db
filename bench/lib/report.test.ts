import { describe, expect, it } from 'vitest';
import { percentile } from '../load-generator.ts';
import { addedLatency, checkTargets, formatOverhead } from './report.ts';
import { benchResults, loadRow } from './test-fixtures.ts';

const verdict = (checks: ReturnType<typeof checkTargets>, prefix: string) =>
  checks.find((check) => check.target.startsWith(prefix));

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

  it('judges the 200 ms targets on the direct path', () => {
    const checks = checkTargets(benchResults([service, direct]), 200);
    expect(verdict(checks, 'added p50')).toMatchObject({ met: false, measured: '2.5 ms' });
    expect(verdict(checks, 'added p99')).toMatchObject({ met: true, measured: '16.5 ms' });
    expect(verdict(checks, 'added p50')?.target).toContain('over the direct path');
    const withErrors = checkTargets(benchResults([{ ...service, non2xx: 3 }, direct]), 200);
    expect(verdict(withErrors, 'zero errors')).toMatchObject({ met: false, measured: '3' });
  });
});

describe('throughput targets', () => {
  it('compare the cache hit with the baseline and the miss with its absolute figures', () => {
    const checks = checkTargets(
      benchResults([
        loadRow('baseline (bare Fastify)', { requestsPerSecond: 20_000 }),
        loadRow('cache hit', { requestsPerSecond: 8_000 }),
        loadRow('cache miss, provider 0 ms', { requestsPerSecond: 5_200, cpuMsPerRequest: 0.21 }),
      ]),
      200,
    );
    expect(verdict(checks, 'cache hit')).toMatchObject({ met: true, measured: '40%' });
    expect(verdict(checks, 'cache miss ≥')).toMatchObject({ met: true });
    expect(verdict(checks, 'cache miss CPU')).toMatchObject({ met: false, measured: '0.210 ms' });
    expect(verdict(checks, 'idle RSS')).toMatchObject({ met: true });
  });
});
