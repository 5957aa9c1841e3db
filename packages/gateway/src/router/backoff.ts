/**
 * Delay before retry number `retry` (0 for the first retry): exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so replicas that failed together do not
 * retry together. A vendor's Retry-After is a floor, never shortened by jitter.
 */
export function backoffDelayMs(
  retry: number,
  options: { baseMs: number; maxMs: number; retryAfterMs?: number | undefined; random: () => number },
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  const jittered = exponential / 2 + options.random() * (exponential / 2);
  return Math.round(Math.max(jittered, options.retryAfterMs ?? 0));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
