import { describe, expect, it } from 'vitest';
import { weightedQuantile } from './provider-health.ts';

describe('weightedQuantile', () => {
  it('weighs recent samples more, so a provider that got slow shows it', () => {
    const fastThenSlow = [...Array.from({ length: 40 }, () => 100), ...Array.from({ length: 10 }, () => 900)];
    expect(weightedQuantile(fastThenSlow, 0.95)).toBe(900);
    const slowThenFast = [...Array.from({ length: 10 }, () => 900), ...Array.from({ length: 80 }, () => 100)];
    expect(weightedQuantile(slowThenFast, 0.95)).toBe(100);
    expect(weightedQuantile([], 0.95)).toBeUndefined();
  });
});
