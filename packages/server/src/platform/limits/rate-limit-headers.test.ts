import { describe, expect, it } from 'vitest';
import { rateLimitHeaders } from './limits.service.ts';
import type { LimitDecision } from './rate-limit-store.ts';

const now = Date.UTC(2026, 11, 3, 9, 0, 0);
const decision = (fields: Partial<LimitDecision>): LimitDecision => ({
  allowed: true,
  limit: 100,
  remaining: 42,
  resetMs: 1_500,
  ...fields,
});

describe('rate-limit headers', () => {
  it('states the limit, what is left, the reset and the policy', () => {
    expect(rateLimitHeaders('hourly', 3600, decision({}), now)).toEqual({
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '42',
      'x-ratelimit-reset': String(now / 1000 + 2),
      'ratelimit-policy': '"hourly";q=100;w=3600',
      ratelimit: '"hourly";r=42;t=2',
    });
  });

  it('adds Retry-After to a refusal, at least one second', () => {
    const refused = decision({ allowed: false, remaining: 0, resetMs: 200 });
    expect(rateLimitHeaders('ip', 60, refused, now)['retry-after']).toBe('1');
    expect(rateLimitHeaders('ip', 60, { ...refused, resetMs: 30_500 }, now)['retry-after']).toBe('31');
  });

  it('gives each limit its own policy text when keys with different limits alternate', () => {
    for (const limit of [100, 5, 100, 7]) {
      const headers = rateLimitHeaders('hourly', 3600, decision({ limit, remaining: limit - 1 }), now);
      expect(headers['x-ratelimit-limit']).toBe(String(limit));
      expect(headers['ratelimit-policy']).toBe(`"hourly";q=${limit};w=3600`);
      expect(headers.ratelimit).toBe(`"hourly";r=${limit - 1};t=2`);
    }
  });
});
