import { describe, expect, it } from 'vitest';
import type { LimitPolicy, RateLimitStore } from './rate-limit-store.ts';

/** Behaviour every RateLimitStore must have; run against each implementation. */
export function rateLimitStoreConformance(
  label: string,
  makeStore: () => RateLimitStore,
  uniqueKey: (name: string) => string,
) {
  describe(`RateLimitStore conformance: ${label}`, () => {
    const policy: LimitPolicy = { name: 'conformance', points: 3, windowSeconds: 60 };

    it('admits exactly `points` requests in a window and refuses the next', async () => {
      const store = makeStore();
      const key = uniqueKey('exact');
      const decisions = [];
      for (let index = 0; index < 5; index += 1) decisions.push(await store.consume(policy, key));
      expect(decisions.map((entry) => entry.allowed)).toEqual([true, true, true, false, false]);
      expect(decisions.map((entry) => entry.remaining)).toEqual([2, 1, 0, 0, 0]);
      expect(decisions[3]!.limit).toBe(3);
      expect(decisions[3]!.resetMs).toBeGreaterThan(0);
      expect(decisions[3]!.resetMs).toBeLessThanOrEqual(60_000);
    });

    it('keeps keys apart', async () => {
      const store = makeStore();
      const [first, second] = [uniqueKey('a'), uniqueKey('b')];
      for (let index = 0; index < 3; index += 1) await store.consume(policy, first);
      expect((await store.consume(policy, first)).allowed).toBe(false);
      expect((await store.consume(policy, second)).allowed).toBe(true);
    });

    it('admits exactly the limit under concurrent consumption', async () => {
      const store = makeStore();
      const key = uniqueKey('concurrent');
      const wide: LimitPolicy = { name: 'conformance-wide', points: 25, windowSeconds: 60 };
      const results = await Promise.all(Array.from({ length: 60 }, () => store.consume(wide, key)));
      expect(results.filter((entry) => entry.allowed)).toHaveLength(25);
    });

    it('consumes several points at once, and penalty/reward adjust without refusing', async () => {
      const store = makeStore();
      const key = uniqueKey('points');
      const tokens: LimitPolicy = { name: 'conformance-tokens', points: 100, windowSeconds: 60 };
      expect((await store.consume(tokens, key, 60)).remaining).toBe(40);
      expect((await store.consume(tokens, key, 50)).allowed).toBe(false);
      await store.reward(tokens, key, 30);
      expect((await store.peek(tokens, key)).remaining).toBe(70);
      await store.penalty(tokens, key, 70);
      expect((await store.peek(tokens, key)).remaining).toBe(0);
      expect((await store.consume(tokens, key, 1)).allowed).toBe(false);
    });

    it('peek does not consume, and reset clears the count', async () => {
      const store = makeStore();
      const key = uniqueKey('peek');
      expect((await store.peek(policy, key)).remaining).toBe(3);
      await store.consume(policy, key);
      expect((await store.peek(policy, key)).remaining).toBe(2);
      expect((await store.peek(policy, key)).remaining).toBe(2);
      await store.reset(policy, key);
      expect((await store.peek(policy, key)).remaining).toBe(3);
    });

    /** A fresh store, a key of its own and a policy that locks out once its points are used. */
    const lockoutCase = (name: string, points: number, windowSeconds: number, blockSeconds: number) => {
      const lockout: LimitPolicy = { name: `conformance-${name}`, points, windowSeconds, blockSeconds };
      return { store: makeStore(), key: uniqueKey(name), lockout };
    };

    it('blocks for blockSeconds once exhausted (lockout)', async () => {
      const { store, key, lockout } = lockoutCase('lockout', 2, 1, 300);
      await store.consume(lockout, key);
      await store.consume(lockout, key);
      const refused = await store.consume(lockout, key);
      expect(refused.allowed).toBe(false);
      // The window is 1 s but the block lasts 300 s: the reset must reflect the block.
      expect(refused.resetMs).toBeGreaterThan(250_000);
    });

    it('block() starts a lockout at once', async () => {
      const { store, key, lockout } = lockoutCase('explicit-block', 5, 60, 120);
      await store.block(lockout, key);
      const refused = await store.consume(lockout, key);
      expect(refused.allowed).toBe(false);
      expect(refused.resetMs).toBeGreaterThan(100_000);
    });

    const answersNow = typeof makeStore().consumeNow === 'function';
    it.skipIf(!answersNow)(
      `answers at once what it answers later${answersNow ? '' : ' (skipped: this store must ask a server)'}`,
      async () => {
        const { store, key, lockout } = lockoutCase('now', 2, 60, 90);
        expect(store.peekNow!(lockout, key)).toEqual(await store.peek(lockout, key));
        const first = store.consumeNow!(lockout, key);
        expect(first).toMatchObject({ allowed: true, remaining: 1 });
        expect(store.peekNow!(lockout, key)).toMatchObject({ allowed: true, remaining: 1 });
        expect((await store.consume(lockout, key)).remaining).toBe(0);
        const refused = store.consumeNow!(lockout, key);
        expect(refused.allowed).toBe(false);
        expect(refused.resetMs).toBeGreaterThan(60_000); // the block, not the window
        expect(store.peekNow!(lockout, key)).toMatchObject({ allowed: false, remaining: 0 });
        const other = uniqueKey('now-tokens');
        expect(store.consumeNow!(policy, other, 2).remaining).toBe(1);
        expect(store.consumeNow!(policy, other, 2).allowed).toBe(false); // refused, given back
        expect((await store.peek(policy, other)).remaining).toBe(1);
      },
    );

    it('expires the window', async () => {
      const store = makeStore();
      const key = uniqueKey('expiry');
      const short: LimitPolicy = { name: 'conformance-short', points: 1, windowSeconds: 1 };
      await store.consume(short, key);
      expect((await store.consume(short, key)).allowed).toBe(false);
      await expect
        .poll(async () => (await store.peek(short, key)).remaining, { timeout: 5000, interval: 100 })
        .toBe(1);
      expect((await store.consume(short, key)).allowed).toBe(true);
    });
  });
}
