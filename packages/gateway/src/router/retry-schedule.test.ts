import { noJitterGenerator } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../spec/provider-error.ts';
import { RetrySchedule, sleep } from './retry-schedule.ts';

const limits = { maxRetries: 3, retryBaseDelayMs: 100, retryMaxDelayMs: 1000 };
const failure = (retryAfterMs?: number) =>
  new ProviderError('p', 'server_error', 'boom', retryAfterMs === undefined ? {} : { retryAfterMs });

describe('RetrySchedule', () => {
  it('doubles the wait per retry up to the cap and stops after maxRetries', () => {
    const schedule = new RetrySchedule({ ...limits, maxRetries: 5 }, noJitterGenerator);
    const waits = [1, 2, 3, 4, 5, 6].map((retry) => schedule.next(failure(), retry));
    expect(waits).toEqual([100, 200, 400, 800, 1000, undefined]);
  });

  it('jitters by default within the upper half of each exponential step', () => {
    for (let run = 0; run < 20; run += 1) {
      const schedule = new RetrySchedule(limits);
      const [first, second] = [schedule.next(failure(), 1)!, schedule.next(failure(), 2)!];
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThanOrEqual(100);
      expect(second).toBeGreaterThanOrEqual(100);
      expect(second).toBeLessThanOrEqual(200);
    }
  });

  it('never waits less than Retry-After, and gives up on one longer than the longest wait', () => {
    const schedule = new RetrySchedule(limits, noJitterGenerator);
    expect(schedule.next(failure(700), 1)).toBe(700);
    expect(schedule.next(failure(5000), 2)).toBeUndefined();
  });

  it('does not retry what is not retryable', () => {
    const schedule = new RetrySchedule(limits, noJitterGenerator);
    expect(schedule.next(new ProviderError('p', 'bad_request', 'no'), 1)).toBeUndefined();
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
