import { Counter, Gauge, type Registry } from 'prom-client';

/** The part of `ResponseCacheService.stats()` the metrics read. */
export interface CacheCounters {
  hits: number;
  misses: number;
  coalesced: number;
  bypassed: number;
  tokens_saved: number;
  usd_saved: number;
  levels: {
    l1: { entries: number; bytes: number };
    l2: { entries: number | null; bytes: number | null };
  };
}

/** The part of `RequestLogWriter.stats()` the metrics read. */
export interface RequestLogCounters {
  queued: number;
  written: number;
  dropped: number;
  failedBatches: number;
  lastBatchSize: number;
}

/** One provider as the router reports it (a subset of `ProviderStatus`). */
export interface ProviderState {
  name: string;
  healthy: boolean;
  circuit: 'closed' | 'half-open' | 'open';
}

/**
 * Values that already live in a service and are read when Prometheus scrapes, instead of being
 * pushed on every request: the cache and the log writer keep their own counters, so reading them
 * costs nothing on the hot path and cannot drift from what their own stats endpoints say.
 */
export interface MetricSources {
  cache?: () => CacheCounters | Promise<CacheCounters>;
  requestLogs?: () => RequestLogCounters;
  providers?: () => readonly ProviderState[] | Promise<readonly ProviderState[]>;
}

/**
 * A Prometheus counter fed from a monotonic total kept elsewhere: each refresh adds the growth since
 * the last one. A total that went down (its owner was rebuilt) counts from zero again.
 */
class MirroredCounter {
  readonly #counter: Counter;
  #last = 0;

  constructor(counter: Counter) {
    this.#counter = counter;
  }

  update(total: number): void {
    const growth = total >= this.#last ? total - this.#last : total;
    if (growth > 0) this.#counter.inc(growth);
    this.#last = total;
  }
}

/** Gauges and mirrored counters for the pulled sources, declared up front so they are always exposed. */
export class SourceCollector {
  readonly #sources: MetricSources[] = [];
  readonly #sourceErrors: Counter<'source'>;
  readonly #cache: Record<
    'hits' | 'misses' | 'coalesced' | 'bypassed' | 'tokensSaved' | 'usdSaved',
    MirroredCounter
  >;
  readonly #cacheEntries: Gauge<'level'>;
  readonly #cacheBytes: Gauge<'level'>;
  readonly #logs: Record<'written' | 'dropped' | 'failedBatches', MirroredCounter>;
  readonly #logQueue: Gauge;
  readonly #logBatch: Gauge;

  constructor(registry: Registry, prefix: string) {
    const registers = [registry];
    const counter = (name: string, help: string) =>
      new MirroredCounter(new Counter({ name: prefix + name, help, registers }));
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Gauge<L>({ name: prefix + name, help, labelNames, registers });

    this.#sourceErrors = new Counter({
      name: `${prefix}metrics_source_errors_total`,
      help: 'Scrapes where a pulled source (cache, log writer, providers) could not be read.',
      labelNames: ['source'],
      registers,
    });
    this.#cache = {
      hits: counter('cache_hits_total', 'Response cache lookups answered from the cache.'),
      misses: counter(
        'cache_misses_total',
        'Response cache lookups that had to compute (coalesced ones included).',
      ),
      coalesced: counter('cache_coalesced_total', 'Requests that joined an identical computation in flight.'),
      bypassed: counter('cache_bypassed_total', 'Requests that asked to skip the cache.'),
      tokensSaved: counter('cache_tokens_saved_total', 'Tokens not spent thanks to cache hits.'),
      usdSaved: counter('cache_usd_saved_total', 'USD not spent thanks to cache hits.'),
    };
    this.#cacheEntries = gauge(
      'cache_entries',
      'Entries in the response cache by level (l1 memory, l2 Redis).',
      ['level'],
    );
    this.#cacheBytes = gauge('cache_bytes', 'Bytes held by the response cache by level.', ['level']);
    for (const level of ['l1', 'l2']) {
      this.#cacheEntries.set({ level }, 0);
      this.#cacheBytes.set({ level }, 0);
    }
    this.#logs = {
      written: counter('request_log_written_total', 'Request log entries written to the database.'),
      dropped: counter('request_log_dropped_total', 'Request log entries lost (queue full or write failed).'),
      failedBatches: counter('request_log_failed_batches_total', 'Request log batch writes that failed.'),
    };
    this.#logQueue = gauge('request_log_queue_depth', 'Request log entries waiting to be written.');
    this.#logBatch = gauge('request_log_last_batch_size', 'Entries in the last request log batch written.');
  }

  add(sources: MetricSources): void {
    this.#sources.push(sources);
  }

  /** Reads every source; a failing one is counted and skipped so the scrape still answers. */
  async refresh(): Promise<ProviderState[]> {
    const providers: ProviderState[] = [];
    for (const sources of this.#sources) {
      if (sources.cache) await this.#guard('cache', async () => this.#updateCache(await sources.cache!()));
      if (sources.requestLogs)
        await this.#guard('request_logs', () => this.#updateLogs(sources.requestLogs!()));
      if (sources.providers) {
        await this.#guard('providers', async () => {
          providers.push(...(await sources.providers!()));
        });
      }
    }
    return providers;
  }

  async #guard(source: string, read: () => void | Promise<void>): Promise<void> {
    try {
      await read();
    } catch {
      this.#sourceErrors.inc({ source });
    }
  }

  #updateCache(stats: CacheCounters): void {
    this.#cache.hits.update(stats.hits);
    this.#cache.misses.update(stats.misses);
    this.#cache.coalesced.update(stats.coalesced);
    this.#cache.bypassed.update(stats.bypassed);
    this.#cache.tokensSaved.update(stats.tokens_saved);
    this.#cache.usdSaved.update(stats.usd_saved);
    this.#cacheEntries.set({ level: 'l1' }, stats.levels.l1.entries);
    this.#cacheBytes.set({ level: 'l1' }, stats.levels.l1.bytes);
    this.#cacheEntries.set({ level: 'l2' }, stats.levels.l2.entries ?? 0);
    this.#cacheBytes.set({ level: 'l2' }, stats.levels.l2.bytes ?? 0);
  }

  #updateLogs(stats: RequestLogCounters): void {
    this.#logs.written.update(stats.written);
    this.#logs.dropped.update(stats.dropped);
    this.#logs.failedBatches.update(stats.failedBatches);
    this.#logQueue.set(stats.queued);
    this.#logBatch.set(stats.lastBatchSize);
  }
}
