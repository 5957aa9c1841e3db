import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { RedisCircuit, SKIPPED } from '../redis/redis-circuit.ts';

/** A fixed-window budget of `points` per `windowSeconds`, e.g. 1000 requests per hour for one key. */
export interface LimitPolicy {
  /** Namespace of the counters (`key-hourly`, `ip`, `auth-failures`, `key-tokens`). */
  name: string;
  points: number;
  windowSeconds: number;
  /** Once exhausted, refuse for this long instead of until the window ends (brute-force lockout). */
  blockSeconds?: number;
}

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets (or the block ends). */
  resetMs: number;
}

/**
 * Counters behind every limit. The memory store counts per process; the Redis store counts once for
 * all replicas (atomic increments in Redis), so N replicas together admit N requests per limit, not
 * N × limit.
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Takes `points` from the window; refused (allowed: false) when that would exceed the limit. */
  consume(policy: LimitPolicy, key: string, points?: number): Promise<LimitDecision>;
  /** Adds points without refusing (reconciling an estimate that was too low). */
  penalty(policy: LimitPolicy, key: string, points: number): Promise<void>;
  /** Gives points back (reconciling an estimate that was too high). */
  reward(policy: LimitPolicy, key: string, points: number): Promise<void>;
  /** The current state without consuming. */
  peek(policy: LimitPolicy, key: string): Promise<LimitDecision>;
  reset(policy: LimitPolicy, key: string): Promise<void>;
  /** Refuses the key for the policy's `blockSeconds` from now (starts a lockout at once). */
  block(policy: LimitPolicy, key: string): Promise<void>;
}

type LimiterFactory = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration: number;
}) => RateLimiterAbstract;

/** rate-limiter-flexible behind the interface, with its memory or its Redis limiters. */
class FlexibleRateLimitStore implements RateLimitStore {
  readonly kind: 'memory' | 'redis';
  readonly #create: LimiterFactory;
  readonly #limiters = new Map<string, RateLimiterAbstract>();
  readonly #prefix: string;

  constructor(kind: 'memory' | 'redis', prefix: string, create: LimiterFactory) {
    this.kind = kind;
    this.#prefix = prefix;
    this.#create = create;
  }

  async consume(policy: LimitPolicy, key: string, points = 1): Promise<LimitDecision> {
    try {
      const result = await this.#limiter(policy).consume(key, points);
      return decision(policy, result, true);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The library counts refused attempts too; give them back so a refused reservation costs
      // nothing. Lockout policies keep them: there, every failed attempt must count.
      if (!policy.blockSeconds) {
        await this.#limiter(policy).reward(key, points);
        return decision(
          policy,
          new RateLimiterRes(0, rejection.msBeforeNext, rejection.consumedPoints - points),
          false,
        );
      }
      return decision(policy, rejection, false);
    }
  }

  async penalty(policy: LimitPolicy, key: string, points: number): Promise<void> {
    if (points > 0) await this.#limiter(policy).penalty(key, points);
  }

  async reward(policy: LimitPolicy, key: string, points: number): Promise<void> {
    if (points > 0) await this.#limiter(policy).reward(key, points);
  }

  async peek(policy: LimitPolicy, key: string): Promise<LimitDecision> {
    const result = await this.#limiter(policy).get(key);
    if (!result) return untouched(policy);
    return decision(policy, result, result.consumedPoints <= policy.points);
  }

  async reset(policy: LimitPolicy, key: string): Promise<void> {
    await this.#limiter(policy).delete(key);
  }

  async block(policy: LimitPolicy, key: string): Promise<void> {
    if (policy.blockSeconds) await this.#limiter(policy).block(key, policy.blockSeconds);
  }

  /**
   * One limiter per policy shape. The key prefix leaves out `points`, so in Redis a key whose limit
   * changes keeps its count; memory limiters each keep their own counts.
   */
  #limiter(policy: LimitPolicy): RateLimiterAbstract {
    const id = `${policy.name}|${policy.points}|${policy.windowSeconds}|${policy.blockSeconds ?? 0}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      limiter = this.#create({
        keyPrefix: `${this.#prefix}:${policy.name}:${policy.windowSeconds}`,
        points: policy.points,
        duration: policy.windowSeconds,
        blockDuration: policy.blockSeconds ?? 0,
      });
      this.#limiters.set(id, limiter);
    }
    return limiter;
  }
}

function decision(policy: LimitPolicy, result: RateLimiterRes, allowed: boolean): LimitDecision {
  return {
    allowed,
    limit: policy.points,
    remaining: Math.max(0, policy.points - result.consumedPoints),
    resetMs: Math.max(0, result.msBeforeNext),
  };
}

/** The state of a key that has nothing counted in the current window. */
function untouched(policy: LimitPolicy): LimitDecision {
  return {
    allowed: true,
    limit: policy.points,
    remaining: policy.points,
    resetMs: policy.windowSeconds * 1000,
  };
}

/** Counters in this process: embedded mode, and tests. */
export function createMemoryRateLimitStore(prefix = 'sps:rl'): RateLimitStore {
  return new FlexibleRateLimitStore('memory', prefix, (options) => new RateLimiterMemory(options));
}

/**
 * Counters in Redis behind a circuit. When Redis fails or does not answer in time, every limit counts
 * in this process instead (limits then hold per replica rather than across them) until Redis answers
 * again; the circuit skips Redis meanwhile, so a dead or frozen Redis costs requests nothing.
 */
export function createRedisRateLimitStore(
  client: Redis,
  prefix = 'sps:rl',
  circuit = new RedisCircuit({ timeoutMs: 500, label: 'limits' }),
): RateLimitStore {
  const shared = new FlexibleRateLimitStore(
    'redis',
    prefix,
    (options) => new RateLimiterRedis({ ...options, storeClient: client, rejectIfRedisNotReady: true }),
  );
  const local = createMemoryRateLimitStore(`${prefix}:local`);
  const either =
    <A extends unknown[], T>(call: (store: RateLimitStore, ...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      const answer = await circuit.run(() => call(shared, ...args));
      return answer === SKIPPED ? call(local, ...args) : answer;
    };
  return {
    kind: 'redis',
    consume: either((store, policy: LimitPolicy, key: string, points?: number) =>
      store.consume(policy, key, points),
    ),
    penalty: either((store, policy: LimitPolicy, key: string, points: number) =>
      store.penalty(policy, key, points),
    ),
    reward: either((store, policy: LimitPolicy, key: string, points: number) =>
      store.reward(policy, key, points),
    ),
    peek: either((store, policy: LimitPolicy, key: string) => store.peek(policy, key)),
    reset: either((store, policy: LimitPolicy, key: string) => store.reset(policy, key)),
    block: either((store, policy: LimitPolicy, key: string) => store.block(policy, key)),
  };
}
