import { describe, expect, it } from 'vitest';
import { latencyBoundsMs, latencyColumns } from '../../platform/request-log/usage-rollup.ts';
import { usageCsv } from './usage-csv.ts';
import { emptyCounters, latencyQuantile } from './usage-metrics.ts';

function histogram(samples: number[]) {
  const counters = emptyCounters();
  for (const ms of samples) {
    const index = latencyBoundsMs.findIndex((bound) => ms <= bound);
    counters[latencyColumns[index < 0 ? latencyColumns.length - 1 : index]!] += 1;
  }
  return counters;
}

describe('latency quantiles from the rollup histogram', () => {
  it('land in the bucket that holds the true quantile', () => {
    const samples = [
      ...Array.from({ length: 50 }, (_, i) => 5 + i * 0.2),
      ...Array.from({ length: 50 }, (_, i) => 600 + i * 5),
    ];
    const counters = histogram(samples);
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.25, 0.5, 0.75, 0.95]) {
      const truth = sorted[Math.ceil(q * sorted.length) - 1]!;
      const upper = latencyBoundsMs.find((bound) => truth <= bound)!;
      const lower = latencyBoundsMs[latencyBoundsMs.indexOf(upper as never) - 1] ?? 0;
      const estimate = latencyQuantile(counters, q);
      expect(estimate, `q=${q}`).toBeGreaterThanOrEqual(lower);
      expect(estimate, `q=${q}`).toBeLessThanOrEqual(upper);
    }
    expect(latencyQuantile(emptyCounters(), 0.5)).toBe(0);
    expect(latencyQuantile(histogram([120_000, 200_000]), 0.99)).toBe(latencyBoundsMs.at(-1));
  });
});

describe('usage CSV', () => {
  it('quotes fields with separators and defuses spreadsheet formulas', () => {
    const report = {
      from: '',
      to: '',
      bucket: 'day' as const,
      group_by: 'model' as const,
      totals: { requests: 0 },
      series: [{ bucket_start: '2026-04-01T00:00:00.000Z', group: '=HYPERLINK("x"),1', requests: 3 }],
    } as never;
    const [header, row] = usageCsv(report).trim().split('\r\n');
    expect(header).toBe('bucket_start,group,requests');
    expect(row).toBe('2026-04-01T00:00:00.000Z,"\'=HYPERLINK(""x""),1",3');
  });
});
