import { ProviderError } from '../../spec/provider-error.ts';

interface Waiter {
  start: () => void;
  signal: AbortSignal;
  reject: (error: unknown) => void;
}

/**
 * Runs at most `concurrency` tasks at once and keeps at most `maxQueued` waiting. Local inference
 * saturates the CPU, so more parallel generations only make each slower; a bounded queue turns
 * overload into a fast, retryable failure that lets the router fall back instead of piling up.
 */
export class TaskQueue {
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #provider: string;
  readonly #waiting: Waiter[] = [];
  #running = 0;

  constructor(provider: string, options: { concurrency: number; maxQueued: number }) {
    this.#provider = provider;
    this.#concurrency = options.concurrency;
    this.#maxQueued = options.maxQueued;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.#running >= this.#concurrency) await this.#wait(signal);
    else this.#running += 1;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next.start();
      else this.#running -= 1;
    }
  }

  #wait(signal: AbortSignal): Promise<void> {
    if (this.#waiting.length >= this.#maxQueued) {
      return Promise.reject(new ProviderError(this.#provider, 'rate_limited', 'local model queue is full'));
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        signal,
        reject,
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(waiter);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }
}
