import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from './memory-rate-limit-store.ts';

const stores: MemoryRateLimitStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function storeAt(clock: { now: number }): MemoryRateLimitStore {
  const store = new MemoryRateLimitStore({ now: () => clock.now });
  stores.push(store);
  return store;
}

describe('MemoryRateLimitStore', () => {
  const hourly = { name: 'hourly', points: 2, windowSeconds: 3600 };

  it('starts a new window when the old one has ended', () => {
    const clock = { now: 1_000_000 };
    const store = storeAt(clock);
    expect(store.consumeNow(hourly, 'k').allowed).toBe(true);
    expect(store.consumeNow(hourly, 'k').allowed).toBe(true);
    const refused = store.consumeNow(hourly, 'k');
    expect(refused).toEqual({ allowed: false, limit: 2, remaining: 0, resetMs: 3_600_000 });
    clock.now += 3_600_000;
    expect(store.consumeNow(hourly, 'k')).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      resetMs: 3_600_000,
    });
  });

  it('keeps counting when a key is given a higher limit (the count belongs to the key, not the limit)', () => {
    const store = storeAt({ now: 0 });
    store.consumeNow(hourly, 'k');
    store.consumeNow(hourly, 'k');
    expect(store.consumeNow({ ...hourly, points: 5 }, 'k').remaining).toBe(2);
  });

  it('drops ended windows on its sweep, so keys seen once do not stay in memory', () => {
    const clock = { now: 0 };
    const store = storeAt(clock);
    for (let index = 0; index < 1000; index++)
      store.consumeNow({ name: 'ip', points: 10, windowSeconds: 60 }, `ip-${index}`);
    store.consumeNow(hourly, 'long-lived');
    expect(store.size).toBe(1001);
    clock.now += 60_000;
    store.sweep();
    expect(store.size).toBe(1);
  });

  it('ends a lockout when its block ends, not when the window would have', () => {
    const clock = { now: 0 };
    const store = storeAt(clock);
    const lockout = { name: 'auth-failures', points: 1, windowSeconds: 10, blockSeconds: 100 };
    store.consumeNow(lockout, 'ip');
    expect(store.consumeNow(lockout, 'ip').resetMs).toBe(100_000);
    clock.now += 50_000;
    expect(store.peekNow(lockout, 'ip')).toMatchObject({ allowed: false, resetMs: 50_000 });
    clock.now += 50_000;
    expect(store.peekNow(lockout, 'ip')).toMatchObject({ allowed: true, remaining: 1 });
  });
});
