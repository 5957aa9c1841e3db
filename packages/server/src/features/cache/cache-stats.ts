/** Counters of one process, or of every replica when summed in Redis. */
export interface CounterSet {
  hits: number;
  misses: number;
  coalesced: number;
  bypassed: number;
  tokens_saved: number;
  /** USD × 1e9: integers add exactly (in Redis via HINCRBY too), floats would drift. */
  usd_saved_nano: number;
}

export interface CounterSummary {
  since: string;
  hits: number;
  /** Lookups that had to compute, including those that joined an in-flight computation. */
  misses: number;
  hit_rate: number;
  coalesced: number;
  bypassed: number;
  tokens_saved: number;
  usd_saved: number;
}

export interface CacheStats extends CounterSummary {
  enabled: boolean;
  degraded: boolean;
  levels: {
    l1: { entries: number; bytes: number };
    l2: { status: 'up' | 'down' | 'not_configured'; entries: number | null; bytes: number | null };
  };
  /** Sums over every replica sharing the Redis; null without Redis or while it is down. */
  cluster: CounterSummary | null;
}

export const emptyCounters = (): CounterSet => ({
  hits: 0,
  misses: 0,
  coalesced: 0,
  bypassed: 0,
  tokens_saved: 0,
  usd_saved_nano: 0,
});

export function summarize(counters: CounterSet, since: string): CounterSummary {
  const lookups = counters.hits + counters.misses;
  return {
    since,
    hits: counters.hits,
    misses: counters.misses,
    hit_rate: lookups === 0 ? 0 : counters.hits / lookups,
    coalesced: counters.coalesced,
    bypassed: counters.bypassed,
    tokens_saved: counters.tokens_saved,
    usd_saved: counters.usd_saved_nano / 1e9,
  };
}
