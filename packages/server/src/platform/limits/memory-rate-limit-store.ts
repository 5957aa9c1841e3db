import type { LimitDecision, LimitPolicy, RateLimitStore } from './rate-limit-store.ts';

/** One key's count in the current window; `resetAt` is the end of the window, or of a lockout. */
interface Window {
  consumed: number;
  resetAt: number;
}

/** How often windows that ended are dropped, so keys seen once do not stay in memory. */
const sweepIntervalMs = 30_000;

/**
 * Fixed-window counters in this process (the embedded default). The same rules as the Redis store
 * (rate-limiter-flexible's), held by the same conformance suite: a window starts at a key's first
 * point and lasts the policy's `windowSeconds`; a refused consumption is given back, except under a
 * lockout policy, where crossing the limit starts a block of `blockSeconds`.
 *
 * Everything here is synchronous, so the store also answers at once (`consumeNow`, `peekNow`): the
 * auth hook admits a request without waiting on a promise (ADR 0018).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory' as const;
  /** Windows per limiter: policies that differ only in `points` share counts, as in the Redis store. */
  readonly #limiters = new Map<string, Map<string, Window>>();
  readonly #byPolicy = new WeakMap<LimitPolicy, Map<string, Window>>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.#sweeper.unref();
  }

  consumeNow(policy: LimitPolicy, key: string, points = 1): LimitDecision {
    const now = this.#now();
    const windows = this.#windows(policy);
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { consumed: 0, resetAt: now + policy.windowSeconds * 1000 };
      windows.set(key, window);
    }
    window.consumed += points;
    if (window.consumed <= policy.points) return decision(policy, window, now, true);
    if (policy.blockSeconds) {
      // The consumption that crosses the limit starts the lockout; later ones count but do not extend it.
      if (window.consumed - points <= policy.points) window.resetAt = now + policy.blockSeconds * 1000;
      return decision(policy, window, now, false);
    }
    window.consumed -= points;
    return decision(policy, window, now, false);
  }

  peekNow(policy: LimitPolicy, key: string): LimitDecision {
    const now = this.#now();
    const window = this.#current(policy, key, now);
    if (!window) return untouched(policy);
    return decision(policy, window, now, window.consumed <= policy.points);
  }

  async consume(policy: LimitPolicy, key: string, points = 1): Promise<LimitDecision> {
    return this.consumeNow(policy, key, points);
  }

  async peek(policy: LimitPolicy, key: string): Promise<LimitDecision> {
    return this.peekNow(policy, key);
  }

  async penalty(policy: LimitPolicy, key: string, points: number): Promise<void> {
    if (points > 0) this.#adjust(policy, key, points);
  }

  async reward(policy: LimitPolicy, key: string, points: number): Promise<void> {
    if (points > 0) this.#adjust(policy, key, -points);
  }

  async reset(policy: LimitPolicy, key: string): Promise<void> {
    this.#windows(policy).delete(key);
  }

  async block(policy: LimitPolicy, key: string): Promise<void> {
    if (!policy.blockSeconds) return;
    const now = this.#now();
    const window = this.#current(policy, key, now) ?? { consumed: 0, resetAt: now };
    window.consumed = Math.max(window.consumed, policy.points + 1);
    window.resetAt = now + policy.blockSeconds * 1000;
    this.#windows(policy).set(key, window);
  }

  /** Stops the sweeper (tests that build many stores; the timer never keeps the process alive). */
  close(): void {
    clearInterval(this.#sweeper);
  }

  #adjust(policy: LimitPolicy, key: string, points: number): void {
    const now = this.#now();
    let window = this.#current(policy, key, now);
    if (!window) {
      window = { consumed: 0, resetAt: now + policy.windowSeconds * 1000 };
      this.#windows(policy).set(key, window);
    }
    window.consumed += points;
  }

  #current(policy: LimitPolicy, key: string, now: number): Window | undefined {
    const window = this.#windows(policy).get(key);
    return window && window.resetAt > now ? window : undefined;
  }

  /** The windows of a policy's limiter: found by the policy object, else by its shape. */
  #windows(policy: LimitPolicy): Map<string, Window> {
    let windows = this.#byPolicy.get(policy);
    if (windows) return windows;
    const id = `${policy.name}|${policy.windowSeconds}|${policy.blockSeconds ?? 0}`;
    windows = this.#limiters.get(id);
    if (!windows) {
      windows = new Map();
      this.#limiters.set(id, windows);
    }
    this.#byPolicy.set(policy, windows);
    return windows;
  }

  /** Keys with a window or lockout in progress. */
  get size(): number {
    let count = 0;
    for (const windows of this.#limiters.values()) count += windows.size;
    return count;
  }

  /** Drops windows that have ended; the store runs it every 30 s. */
  sweep(): void {
    const now = this.#now();
    for (const windows of this.#limiters.values()) {
      for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    }
  }
}

/** The state of a key that has nothing counted in the current window (both stores). */
export function untouched(policy: LimitPolicy): LimitDecision {
  return {
    allowed: true,
    limit: policy.points,
    remaining: policy.points,
    resetMs: policy.windowSeconds * 1000,
  };
}

function decision(policy: LimitPolicy, window: Window, now: number, allowed: boolean): LimitDecision {
  return {
    allowed,
    limit: policy.points,
    remaining: Math.max(0, policy.points - window.consumed),
    resetMs: Math.max(0, window.resetAt - now),
  };
}
