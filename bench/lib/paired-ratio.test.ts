import { describe, expect, it } from 'vitest';
import { median, summarizePairs, toPair } from './paired-ratio.ts';
import { checkFloors } from './report.ts';
import { benchResults, loadRow, loadSummary } from './test-fixtures.ts';

const timing = { windowSeconds: 3, warmupSeconds: 1 };

const hitVerdict = (checks: ReturnType<typeof checkFloors>) =>
  checks.find((check) => check.floor.startsWith('cache hit'));

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('one pair of windows', () => {
  it('divides the hit by the baseline and turns main-thread CPU into µs per request', () => {
    const pair = toPair(
      loadSummary({ requestsPerSecond: 30_000, completed: 90_000, mainThreadCpuMs: 2_700 }),
      loadSummary({ requestsPerSecond: 12_000, completed: 36_000, mainThreadCpuMs: 2_520 }),
      true,
    );
    expect(pair.ratio).toBeCloseTo(0.4, 12);
    expect(pair.baselineMainUs).toBeCloseTo(30, 9);
    expect(pair.hitMainUs).toBeCloseTo(70, 9);
    expect(pair.hitFirst).toBe(true);
  });
});

describe('the hit floor on paired windows', () => {
  const pairsAt = (...ratios: number[]) =>
    ratios.map((ratio, index) =>
      toPair(
        loadSummary({ requestsPerSecond: 10_000 }),
        loadSummary({ requestsPerSecond: 10_000 * ratio }),
        index % 2 === 1,
      ),
    );
  // Windows a minute apart that disagree with the pairs: the pairs decide.
  const rows = [
    loadRow('baseline (bare Fastify)', { requestsPerSecond: 30_000 }),
    loadRow('cache hit', { requestsPerSecond: 7_500 }),
  ];

  it('is judged on the median pair, with the range and the table windows beside it', () => {
    const paired = summarizePairs(pairsAt(0.38, 0.45, 0.41, 0.43), timing, 0);
    expect(paired.median).toBeCloseTo(0.42, 12);
    expect(paired.min).toBeCloseTo(0.38, 12);
    expect(paired.max).toBeCloseTo(0.45, 12);
    const verdict = hitVerdict(checkFloors(benchResults(rows, paired), 200));
    expect(verdict).toMatchObject({ met: true, measured: "42% (pairs 38%–45%; table's windows 25%)" });
  });

  it('is missed when the median pair is under 30%, whatever the best pair reads', () => {
    const paired = summarizePairs(pairsAt(0.62, 0.26, 0.27, 0.29), timing, 0);
    expect(hitVerdict(checkFloors(benchResults(rows, paired), 200))).toMatchObject({ met: false });
  });

  it('is missed when any window had a failure', () => {
    const paired = summarizePairs(pairsAt(0.5, 0.5), timing, 1);
    expect(hitVerdict(checkFloors(benchResults(rows, paired), 200))).toMatchObject({ met: false });
  });

  it('falls back to the table windows when no pairs ran', () => {
    expect(hitVerdict(checkFloors(benchResults(rows), 200))).toMatchObject({
      floor: 'cache hit ≥ 30% of baseline req/s',
      met: false,
      measured: '25%',
    });
  });
});
