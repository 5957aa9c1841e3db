import type { HealthCheck } from '../health-check.ts';

/** The few logger methods the circuit uses; pino's logger fits. */
export interface CircuitLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface RedisCircuitOptions {
  /** Upper bound of one call, on top of the client's own command timeout. */
  timeoutMs: number;
  /** After a failure, calls skip Redis this long, so a dead or frozen Redis costs nothing per request. */
  retryAfterMs?: number;
  /** Names the part in log lines: `cache: L2`, `limits`, … */
  label: string;
  logger?: CircuitLogger;
}

export interface CircuitCallOptions {
  /** Call even while the circuit is open (health probes: a recovered Redis is noticed without traffic). */
  ignorePause?: boolean;
  /** Overrides the circuit's timeout (scans take several round trips). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What `run` returns instead of a value when Redis was skipped or failed: the caller falls back. */
export const SKIPPED: unique symbol = Symbol('skipped');

/**
 * Timeout and circuit breaker for calls to Redis on the request path. A call that fails or does not
 * answer in time opens the circuit: for `retryAfterMs` every call is skipped at once (the caller uses
 * its local fallback), then the next call tries Redis again and a success closes the circuit. State
 * changes are logged once each, not per call.
 */
export class RedisCircuit {
  readonly #timeoutMs: number;
  readonly #retryAfterMs: number;
  readonly #label: string;
  readonly #logger: CircuitLogger | undefined;
  #downUntil = 0;
  #healthy = true;

  constructor(options: RedisCircuitOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#retryAfterMs = options.retryAfterMs ?? 1000;
    this.#label = options.label;
    this.#logger = options.logger;
  }

  /** False from a failure until the next success. */
  get healthy(): boolean {
    return this.#healthy;
  }

  /** Runs one Redis operation under the timeout; any failure opens the circuit and yields SKIPPED. */
  async run<T>(operation: () => Promise<T>, options: CircuitCallOptions = {}): Promise<T | typeof SKIPPED> {
    if (!options.ignorePause && Date.now() < this.#downUntil) return SKIPPED;
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const result = await Promise.race([
        operation(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
          onAbort = () => reject(new Error('Redis call aborted'));
          if (signal?.aborted) onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      this.#markUp();
      return result;
    } catch (error) {
      this.#markDown(error);
      return SKIPPED;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  #markUp(): void {
    if (this.#healthy) return;
    this.#healthy = true;
    this.#downUntil = 0;
    this.#logger?.info({}, `${this.#label}: Redis answering again`);
  }

  #markDown(error: unknown): void {
    this.#downUntil = Date.now() + this.#retryAfterMs;
    if (!this.#healthy) return;
    this.#healthy = false;
    this.#logger?.warn(
      { err: error instanceof Error ? error.message : String(error) },
      `${this.#label}: Redis failed, falling back to this process (degraded)`,
    );
  }
}

/**
 * `/v1/health`'s entry for the Redis that limits, budgets and key revocation share. Optional: without
 * it they count per replica, so the report says `degraded`, never `unhealthy`. The probe ignores the
 * circuit's pause, so a recovered Redis closes the circuit even before traffic does.
 */
export function createRedisHealthCheck(ping: () => Promise<unknown>, circuit: RedisCircuit): HealthCheck {
  return {
    name: 'redis',
    required: false,
    async check(signal) {
      const answer = await circuit.run(ping, { ignorePause: true, signal });
      if (answer === SKIPPED) throw new Error('Redis is unavailable');
    },
  };
}
