import type { UsageMetrics } from '@structured-prompt/contracts';
import { counterColumns, latencyBoundsMs, latencyColumns } from '../../platform/request-log/usage-rollup.ts';
import type { Counters } from './usage.repository.ts';

export function emptyCounters(): Counters {
  return Object.fromEntries(counterColumns.map((column) => [column, 0])) as Counters;
}

export function addCounters(into: Counters, from: Counters): Counters {
  for (const [column, value] of Object.entries(from) as Array<[keyof Counters, number]>) {
    into[column] = (into[column] ?? 0) + value;
  }
  return into;
}

/**
 * The latency at quantile `q` (0–1), estimated from the histogram by linear interpolation inside the
 * bucket that holds the rank; the open last bucket answers its lower bound.
 */
export function latencyQuantile(counters: Counters, q: number): number {
  const counts = latencyColumns.map((column) => counters[column] ?? 0);
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return 0;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < counts.length; index++) {
    const count = counts[index]!;
    if (count > 0 && below + count >= rank) {
      const lower = index === 0 ? 0 : latencyBoundsMs[index - 1]!;
      const upper = latencyBoundsMs[index];
      if (upper === undefined) return lower;
      return Math.round(lower + ((rank - below) / count) * (upper - lower));
    }
    below += count;
  }
  return latencyBoundsMs.at(-1)!;
}

const roundUsd = (value: number) => Math.round(value * 1e9) / 1e9;

export function toMetrics(counters: Counters): UsageMetrics {
  const requests = counters.requests ?? 0;
  return {
    requests,
    prompt_tokens: counters.prompt_tokens ?? 0,
    completion_tokens: counters.completion_tokens ?? 0,
    cost_usd: roundUsd(counters.cost_usd ?? 0),
    cache_hits: counters.cache_hits ?? 0,
    saved_tokens: counters.saved_tokens ?? 0,
    saved_cost_usd: roundUsd(counters.saved_cost_usd ?? 0),
    errors: counters.errors ?? 0,
    validation_failures: counters.validation_failures ?? 0,
    latency_avg_ms: requests === 0 ? 0 : Math.round(((counters.latency_ms_sum ?? 0) / requests) * 100) / 100,
    latency_p50_ms: latencyQuantile(counters, 0.5),
    latency_p95_ms: latencyQuantile(counters, 0.95),
  };
}
