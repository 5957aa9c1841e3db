import { Worker } from 'node:worker_threads';
import type { RequestLogSink } from './request-log-writer.ts';
import type { NewRequestLog } from './request-logs.repository.ts';

/** What the worker needs to open its own connection. */
export interface LogThreadSetup {
  file: string;
  busyTimeoutMs: number;
}

export interface LogThreadRequest {
  id: number;
  /** The entries as the writer holds them; the structured clone copies them to the thread. */
  entries: readonly NewRequestLog[];
}

export type LogThreadReply =
  | { id: number; inserted: number }
  | { id: number; error: { message: string; code?: string; errcode?: number; errstr?: string } };

interface Pending {
  resolve(inserted: number): void;
  reject(error: Error): void;
}

/**
 * A `RequestLogSink` for a SQLite file that writes from a worker thread (`sqlite-log-worker.ts`).
 * node:sqlite is synchronous, so in-process inserts stall every request in flight for as long as a
 * batch takes (a quarter of a cache hit's CPU in the benchmark); the worker does the same work beside
 * the event loop, over its own WAL connection.
 *
 * The thread starts on the first batch (an idle server carries no extra isolate) and is replaced after
 * a crash: a batch in flight then fails like a database outage, so `RequestLogWriter` keeps it
 * buffered and retries it. Errors keep SQLite's `errcode`, so a rejected row is still told apart from
 * an outage (`isDataError`).
 */
export class SqliteLogThread implements RequestLogSink {
  readonly #setup: LogThreadSetup;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 1;
  #closed = false;

  constructor(setup: LogThreadSetup) {
    this.#setup = setup;
  }

  insertMany(entries: readonly NewRequestLog[]): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the request log thread is closed'));
    if (entries.length === 0) return Promise.resolve(0);
    const worker = this.#worker ?? this.#spawn();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Keep the process alive only while a batch is in flight (a flush at shutdown must finish).
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, entries } satisfies LogThreadRequest);
    });
  }

  /** Stops the thread. Call after the writer has flushed; a batch still in flight is rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
    this.#failAll(new Error('the request log thread is closed'));
  }

  #spawn(): Worker {
    const worker = new Worker(new URL('./sqlite-log-worker.ts', import.meta.url), {
      workerData: this.#setup satisfies LogThreadSetup,
      // The parent's flags (a profiler, preloaded probes) are not meant for this thread.
      execArgv: [],
      name: 'request-log-writer',
    });
    worker.unref();
    worker.on('message', (reply: LogThreadReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(Object.assign(new Error(reply.error.message), reply.error));
      else pending.resolve(reply.inserted);
    });
    worker.on('error', (error) => this.#lost(worker, error));
    worker.on('exit', (code) =>
      this.#lost(worker, new Error(`the request log thread exited (code ${code})`)),
    );
    this.#worker = worker;
    return worker;
  }

  /** The thread died: whatever it held fails as an outage and the next batch starts a new one. */
  #lost(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failAll(error);
  }

  #failAll(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) entry.reject(error);
  }
}
