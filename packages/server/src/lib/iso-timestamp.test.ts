import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.ts';

describe('isoTimestamp', () => {
  it('writes timestamps exactly as toISOString does, within a second and across seconds', () => {
    const base = Date.UTC(2026, 11, 3, 16, 59, 59, 0);
    const times = [
      base,
      base + 1,
      base + 9,
      base + 10,
      base + 99,
      base + 100,
      base + 999,
      base + 1000,
      base + 1001,
      base + 5,
      base - 1,
      -1,
      -999,
      -1000,
      -1001,
      0,
      1,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      Date.UTC(10000, 0, 1, 0, 0, 0, 7),
      Date.UTC(-1, 0, 1),
      base + 2,
    ];
    for (const time of times) expect(isoTimestamp(new Date(time))).toBe(new Date(time).toISOString());
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
