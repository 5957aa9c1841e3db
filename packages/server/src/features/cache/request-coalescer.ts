/** What a caller of `run` gets: the shared promise and whether it joined someone else's call. */
export interface CoalescedRun<T> {
  promise: Promise<T>;
  /** True when another caller started the work and this one only waits for it. */
  shared: boolean;
}

/**
 * Single-flight: while a task for a key is running, further callers with the same key get the same
 * promise instead of starting their own provider call. Only in flight, never after: the result is not
 * remembered here (the cache does that, and only for validated results), so a failure reaches every
 * waiter and the next caller starts afresh.
 */
export class RequestCoalescer {
  readonly #inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): CoalescedRun<T> {
    const existing = this.#inFlight.get(key);
    if (existing) return { promise: existing as Promise<T>, shared: true };
    // The task starts in a microtask so a synchronous throw becomes a rejection shared by all waiters.
    const promise = Promise.resolve()
      .then(task)
      .finally(() => {
        if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
      });
    this.#inFlight.set(key, promise);
    return { promise, shared: false };
  }

  /** Keys with work in flight right now. */
  get size(): number {
    return this.#inFlight.size;
  }
}
