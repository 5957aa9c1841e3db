/**
 * A time limit for one piece of work, released as soon as the work ends.
 *
 * `AbortSignal.timeout(ms)` keeps its timer, and the signal with it, until `ms` has passed, even
 * when the work finished long before. Combined with `AbortSignal.any`, each request also left weak
 * references and dependant sets behind. At 2,000 requests/s with a 60 s deadline and a 30 s provider
 * timeout, that was 180,000 live timers and signals: the soak benchmark's heap snapshot showed
 * 107,000 `Timeout` and `AbortSignal` objects, with 180 MB of live heap and RSS past 1 GB. Here the
 * timer is cleared and the parent listener removed in `clear()`, so nothing outlives the request.
 *
 * Listeners on a deadline's own signal (a child deadline) go through `watchAbort`,
 * which keeps them in a plain list on the deadline instead of the signal's EventTarget: an
 * EventTarget listener costs about 300 bytes per signal (its map grows, plus the listener record),
 * held by every request waiting on a provider, and its add/remove are among the dearer calls of a
 * request.
 */

const owner = Symbol('deadline');

type AbortListener = () => void;
type OwnedSignal = AbortSignal & { [owner]?: Deadline };

/**
 * Calls `listener` once when `signal` aborts; returns the function that stops watching. Signals of a
 * `Deadline` are watched through the deadline's own list, any other signal through its EventTarget.
 */
export function watchAbort(signal: AbortSignal, listener: AbortListener): () => void {
  const deadline = (signal as OwnedSignal)[owner];
  if (deadline) return deadline.onAbort(listener);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

export class Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  #listeners: AbortListener[] | undefined;
  #stopWatchingParent: (() => void) | undefined;
  #expired = false;

  /** Aborts `signal` after `ms`, or earlier when `parent` aborts (with the parent's reason). */
  constructor(ms: number, parent?: AbortSignal) {
    this.signal = this.#controller.signal;
    (this.signal as OwnedSignal)[owner] = this;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      // The same reason AbortSignal.timeout gives, so callers telling timeouts apart keep working.
      this.#abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, ms);
    // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
    this.#timer.unref();
    if (parent?.aborted) this.#abort(parent.reason);
    else if (parent) this.#stopWatchingParent = watchAbort(parent, () => this.#abort(parent.reason));
  }

  /** Whether this deadline's own time ran out (as opposed to the parent aborting). */
  get expired(): boolean {
    return this.#expired;
  }

  /**
   * Calls `listener` once when this deadline aborts (at once if it already has); returns the function
   * that stops watching. Prefer `watchAbort(signal, …)`, which works for any signal.
   */
  onAbort(listener: AbortListener): () => void {
    if (this.signal.aborted) {
      listener();
      return () => {};
    }
    this.#listeners ??= [];
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners?.indexOf(listener) ?? -1;
      if (index >= 0) this.#listeners!.splice(index, 1);
    };
  }

  /** Stops the timer and detaches from the parent. Call when the work is done, however it ended. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#stopWatchingParent?.();
    this.#stopWatchingParent = undefined;
  }

  #abort(reason: unknown): void {
    if (this.signal.aborted) return;
    this.clear();
    // The signal first, so listeners (and anything they call) already see it aborted.
    this.#controller.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }
}
