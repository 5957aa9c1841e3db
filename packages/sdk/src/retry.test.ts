import { describe, expect, it } from 'vitest';
import { parseRetryAfter, randomKey, retryDelayMs } from './retry.ts';

const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('waits what Retry-After says, capped, and otherwise a jittered doubling step', () => {
    expect(retryDelayMs(policy, 0, 0.5)).toBe(500);
    expect(retryDelayMs(policy, 0, 60)).toBe(1000);
    for (let attempt = 0; attempt < 6; attempt++) {
      const delay = retryDelayMs(policy, attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** attempt));
    }
  });

  it('makes distinct UUID v4 keys', () => {
    const keys = new Set(Array.from({ length: 50 }, randomKey));
    expect(keys.size).toBe(50);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
