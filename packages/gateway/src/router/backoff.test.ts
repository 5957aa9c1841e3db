import { describe, expect, it } from 'vitest';
import { backoffDelayMs, sleep } from './backoff.ts';
import { weightedQuantile } from './provider-health.ts';

describe('backoffDelayMs', () => {
  it('doubles per retry with equal jitter and a cap', () => {
    const at = (random: number, retry: number) =>
      backoffDelayMs(retry, { baseMs: 100, maxMs: 1000, random: () => random });
    expect([at(0, 0), at(1, 0), at(0, 1), at(1, 2), at(1, 10)]).toEqual([50, 100, 100, 400, 1000]);
  });

  it('never waits less than Retry-After', () => {
    expect(backoffDelayMs(0, { baseMs: 100, maxMs: 1000, retryAfterMs: 5000, random: () => 1 })).toBe(5000);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('deadline');
  });
});

describe('weightedQuantile', () => {
  it('weighs recent samples more, so a provider that got slow shows it', () => {
    const fastThenSlow = [...Array.from({ length: 40 }, () => 100), ...Array.from({ length: 10 }, () => 900)];
    expect(weightedQuantile(fastThenSlow, 0.95)).toBe(900);
    const slowThenFast = [...Array.from({ length: 10 }, () => 900), ...Array.from({ length: 80 }, () => 100)];
    expect(weightedQuantile(slowThenFast, 0.95)).toBe(100);
    expect(weightedQuantile([], 0.95)).toBeUndefined();
  });
});
