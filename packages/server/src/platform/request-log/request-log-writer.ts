import type { StorageLogger } from '../storage/database.ts';
import { isDataError } from '../storage/dialect.ts';
import type { RequestLogJournal } from './request-log-journal.ts';
import type { NewRequestLog } from './request-logs.repository.ts';

/** Where batches go; `RequestLogsRepository` is the real one. */
export interface RequestLogSink {
  insertMany(entries: readonly NewRequestLog[]): Promise<number>;
  /** Releases what the sink holds (a thread); called once, after the writer's final flush. */
  close?(): Promise<void>;
}

export interface RequestLogWriterOptions {
  sink: RequestLogSink;
  /** pino-compatible. Prompts and responses are never logged, only request ids and counts. */
  logger: StorageLogger;
  /** A batch is written as soon as this many entries wait (`requestLogs.batchSize`). */
  batchSize: number;
  /** …or this long after the first waiting entry arrived (`requestLogs.flushIntervalMs`). */
  flushIntervalMs: number;
  /** Most entries held while the database is unavailable; more are dropped and counted. */
  bufferLimit: number;
  /** First retry delay after a failed batch, doubled per failure up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Write-ahead journal: entries are appended before `write` returns and released once stored. */
  journal?: Pick<RequestLogJournal, 'append' | 'settle' | 'sync' | 'close'>;
}

export interface RequestLogWriterStats {
  /** Entries waiting (including a batch in flight). */
  queued: number;
  written: number;
  /** Entries given up: buffer full during an outage, rejected by the database, or left at close. */
  dropped: number;
  failedBatches: number;
  lastBatchSize: number;
}

/**
 * Takes request logs off the request path: `write` only appends to a bounded in-memory buffer and
 * never throws; batches go to the database by count and by time, one batch in flight at a time.
 * While the database is down, entries stay buffered (the failed batch too, at the front) and are
 * retried with backoff; once the buffer is full, new entries are dropped and counted, so memory
 * stays bounded and no request ever fails because logging does.
 */
export class RequestLogWriter {
  readonly #options: Required<Omit<RequestLogWriterOptions, 'journal'>>;
  #buffer: NewRequestLog[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<boolean> | undefined;
  #retryDelayMs = 0;
  #closed = false;
  #droppedInOutage = 0;
  #stats = { written: 0, dropped: 0, failedBatches: 0, lastBatchSize: 0 };

  readonly #journal: RequestLogWriterOptions['journal'];

  constructor(options: RequestLogWriterOptions) {
    const { journal, ...rest } = options;
    this.#options = { retryBaseMs: 100, retryMaxMs: 5000, ...rest };
    this.#journal = journal;
  }

  /**
   * Entries a previous process journaled but did not store, queued ahead of new ones; written by the
   * next flush. They are already in the journal, so they are not appended again.
   */
  restore(entries: readonly NewRequestLog[]): void {
    this.#buffer.unshift(...entries);
  }

  /** Queues one entry. Returns false when it was dropped (buffer full or writer closed). */
  write(entry: NewRequestLog): boolean {
    if (this.#closed || this.#buffer.length >= this.#options.bufferLimit) {
      this.#drop(1, this.#closed ? 'writer closed' : 'buffer full');
      return false;
    }
    // Stamped now, so a replayed entry keeps the time it was answered (and the month it is billed in).
    const stamped = entry.createdAt ? entry : { ...entry, createdAt: new Date() };
    this.#journal?.append(stamped);
    this.#buffer.push(stamped);
    if (this.#retryDelayMs > 0) return true; // in an outage: the retry timer is already set
    if (this.#buffer.length >= this.#options.batchSize) this.#schedule(0);
    else this.#schedule(this.#options.flushIntervalMs);
    return true;
  }

  stats(): RequestLogWriterStats {
    return { queued: this.#buffer.length, ...this.#stats };
  }

  /** Writes everything buffered now. Resolves false (never rejects) when the database failed. */
  async flush(): Promise<boolean> {
    while (this.#flushing) await this.#flushing;
    return this.#run(true);
  }

  /**
   * Stops accepting entries and flushes, retrying for up to `timeoutMs` if the database is down.
   * Whatever is still buffered after that is counted as dropped and logged.
   */
  async close(timeoutMs = 5000): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    const deadline = Date.now() + timeoutMs;
    while (this.#buffer.length > 0) {
      if (await this.flush()) continue;
      const wait = Math.min(this.#retryDelayMs || this.#options.retryBaseMs, deadline - Date.now());
      if (wait <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (this.#buffer.length > 0) {
      const left = this.#buffer.length;
      this.#buffer = [];
      if (this.#journal) {
        this.#options.logger.warn({ kept: left }, 'request logs kept in the journal for the next start');
      } else this.#drop(left, 'database unavailable at shutdown');
    }
    this.#journal?.close();
    await this.#options.sink.close?.();
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    // An earlier, sooner timer stays; a batch-size trigger (0) replaces a pending interval timer.
    if (this.#timer && delayMs > 0) return;
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#tick();
    }, delayMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    await this.#run(false);
  }

  /** One drain at a time; afterwards, arm the timer for whatever is left (or for the retry). */
  async #run(all: boolean): Promise<boolean> {
    this.#flushing = this.#drain(all);
    let ok = false;
    try {
      ok = await this.#flushing;
    } finally {
      this.#flushing = undefined;
    }
    if (!ok) this.#schedule(this.#retryDelayMs);
    else if (this.#buffer.length >= this.#options.batchSize) this.#schedule(0);
    else if (this.#buffer.length > 0) this.#schedule(this.#options.flushIntervalMs);
    return ok;
  }

  /** Writes batches until the buffer is empty (`all`) or below one batch. False on a failed batch. */
  async #drain(all: boolean): Promise<boolean> {
    this.#journal?.sync();
    while (this.#buffer.length > 0) {
      // Only `write` appends, and only at the end, so the batch stays the buffer's head throughout.
      const batch = this.#buffer.slice(0, this.#options.batchSize);
      try {
        await this.#options.sink.insertMany(batch);
        this.#buffer.splice(0, batch.length);
        this.#journal?.settle(batch.length);
        this.#stats.written += batch.length;
      } catch (error) {
        if (!isDataError(error) || !(await this.#isolate(batch))) {
          this.#outage(error);
          return false;
        }
      }
      this.#stats.lastBatchSize = batch.length;
      this.#afterSuccess();
      if (!all && this.#buffer.length < this.#options.batchSize) break;
    }
    return true;
  }

  /**
   * One bad entry must not block the queue: write the batch one by one and drop only what the database
   * rejects. Returns false if the database became unavailable meanwhile (the rest stays buffered; rows
   * already written are skipped on retry by their request id).
   */
  async #isolate(batch: NewRequestLog[]): Promise<boolean> {
    for (const entry of batch) {
      try {
        await this.#options.sink.insertMany([entry]);
        this.#stats.written++;
      } catch (error) {
        if (!isDataError(error)) return false;
        this.#stats.dropped++;
        this.#options.logger.error(
          { err: errorSummary(error), requestId: entry.requestId },
          'request log rejected by the database; dropped',
        );
      }
      this.#buffer.shift();
      this.#journal?.settle(1);
    }
    return true;
  }

  #outage(error: unknown): void {
    this.#stats.failedBatches++;
    if (this.#retryDelayMs === 0) {
      this.#options.logger.warn(
        { err: errorSummary(error), queued: this.#buffer.length },
        'request log batch failed; buffering and retrying',
      );
    }
    this.#retryDelayMs = Math.min(
      this.#options.retryMaxMs,
      this.#retryDelayMs === 0 ? this.#options.retryBaseMs : this.#retryDelayMs * 2,
    );
  }

  /** After an outage or a spell of drops, one line says it is over and how much was lost. */
  #afterSuccess(): void {
    if (this.#retryDelayMs === 0 && this.#droppedInOutage === 0) return;
    this.#options.logger.info(
      { droppedDuringOutage: this.#droppedInOutage, queued: this.#buffer.length },
      this.#retryDelayMs > 0 ? 'request log writes recovered' : 'request log buffer has room again',
    );
    this.#retryDelayMs = 0;
    this.#droppedInOutage = 0;
  }

  #drop(count: number, reason: string): void {
    this.#stats.dropped += count;
    // One line per outage (and the total at recovery), not one per dropped entry.
    if (this.#droppedInOutage === 0 || reason !== 'buffer full') {
      this.#options.logger.warn(
        { dropped: count, totalDropped: this.#stats.dropped, reason },
        'request logs dropped',
      );
    }
    this.#droppedInOutage += count;
  }
}

function errorSummary(error: unknown): { message: string; code?: unknown } {
  const e = error as { message?: unknown; code?: unknown };
  return { message: String(e?.message ?? error), code: e?.code };
}
