import { randomUUID } from 'node:crypto';

/** What running one warm item tells the warmer: whether it was already cached. */
interface WarmItemOutcome {
  cached: boolean;
}

/** Runs one item through the normal pipeline (which reads and fills the cache). */
export type WarmRunner<I> = (item: I, signal: AbortSignal) => Promise<WarmItemOutcome>;

interface WarmReport {
  id: string;
  status: 'running' | 'completed' | 'cancelled';
  total: number;
  /** Items computed and now cached. */
  warmed: number;
  already_cached: number;
  failed: number;
  /** First failures, for the operator; capped so a bad batch cannot grow memory. */
  errors: Array<{ index: number; message: string }>;
  started_at: string;
  finished_at: string | null;
}

export interface WarmHandle {
  id: string;
  /** A snapshot of the progress so far. */
  report(): WarmReport;
  /** Settles (never rejects) when every item ran or the warmer was closed. */
  done: Promise<WarmReport>;
}

export interface WarmOptions {
  /** The API key that started the run: only it (or an admin key) may read its report. */
  ownerKeyId: string;
  /** Items run at once; low by default so warming does not crowd out live traffic. */
  concurrency?: number;
}

/** A run's report and who started it. */
export interface WarmRun {
  report: WarmReport;
  ownerKeyId: string;
}

const MAX_ERRORS = 20;
const MAX_MESSAGE_CHARS = 200;
/** Reports of finished jobs kept for `status(id)`. */
const KEPT_REPORTS = 50;

/** Background cache warming: runs items with bounded concurrency and keeps a report per job. */
export class CacheWarmer {
  readonly #runs = new Map<string, WarmRun>();
  readonly #controller = new AbortController();

  start<I>(items: readonly I[], runner: WarmRunner<I>, options: WarmOptions): WarmHandle {
    const report: WarmReport = {
      id: randomUUID(),
      status: 'running',
      total: items.length,
      warmed: 0,
      already_cached: 0,
      failed: 0,
      errors: [],
      started_at: new Date().toISOString(),
      finished_at: null,
    };
    this.#remember({ report, ownerKeyId: options.ownerKeyId });
    const signal = this.#controller.signal;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length && !signal.aborted) {
        const index = next++;
        try {
          const outcome = await runner(items[index] as I, signal);
          if (outcome.cached) report.already_cached += 1;
          else report.warmed += 1;
        } catch (error) {
          report.failed += 1;
          if (report.errors.length < MAX_ERRORS) {
            const message = error instanceof Error ? error.message : String(error);
            report.errors.push({ index, message: message.slice(0, MAX_MESSAGE_CHARS) });
          }
        }
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, items.length || 1));
    const done = Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
      report.status = signal.aborted ? 'cancelled' : 'completed';
      report.finished_at = new Date().toISOString();
      return { ...report, errors: [...report.errors] };
    });
    return { id: report.id, report: () => ({ ...report, errors: [...report.errors] }), done };
  }

  status(id: string): WarmRun | undefined {
    const run = this.#runs.get(id);
    if (!run) return undefined;
    return { report: { ...run.report, errors: [...run.report.errors] }, ownerKeyId: run.ownerKeyId };
  }

  /** Stops starting new items (running ones finish or see the aborted signal). */
  close(): void {
    this.#controller.abort();
  }

  #remember(run: WarmRun): void {
    this.#runs.set(run.report.id, run);
    if (this.#runs.size > KEPT_REPORTS) {
      const oldest = this.#runs.keys().next().value;
      if (oldest !== undefined) this.#runs.delete(oldest);
    }
  }
}
