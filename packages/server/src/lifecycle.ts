export type LifecycleState = 'starting' | 'ready' | 'stopping';

/**
 * Where the process is in its life, for the readiness probe: orchestrators must not send traffic
 * before migrations and warm-up are done, nor after shutdown has begun.
 */
export class Lifecycle {
  #state: LifecycleState = 'starting';
  readonly startedAt = Date.now();

  get state(): LifecycleState {
    return this.#state;
  }

  markReady(): void {
    if (this.#state === 'starting') this.#state = 'ready';
  }

  markStopping(): void {
    this.#state = 'stopping';
  }

  uptimeSeconds(now = Date.now()): number {
    return Math.round((now - this.startedAt) / 100) / 10;
  }
}
