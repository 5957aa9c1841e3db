import type { UsageMetrics, UsagePoint } from '@structured-prompt/contracts';

type Summed = Pick<
  UsageMetrics,
  'requests' | 'cost_usd' | 'errors' | 'validation_failures' | 'cache_hits' | 'saved_cost_usd'
> & {
  tokens: number;
};

const zero = (): Summed => ({
  requests: 0,
  cost_usd: 0,
  errors: 0,
  validation_failures: 0,
  cache_hits: 0,
  saved_cost_usd: 0,
  tokens: 0,
});

function add(into: Summed, point: UsagePoint): void {
  into.requests += point.requests;
  into.cost_usd += point.cost_usd;
  into.errors += point.errors;
  into.validation_failures += point.validation_failures;
  into.cache_hits += point.cache_hits;
  into.saved_cost_usd += point.saved_cost_usd;
  into.tokens += point.prompt_tokens + point.completion_tokens;
}

/** Points summed per key (a bucket start, or a group), in first-seen order. */
export function sumBy(points: UsagePoint[], keyOf: (point: UsagePoint) => string): Map<string, Summed> {
  const sums = new Map<string, Summed>();
  for (const point of points) {
    const key = keyOf(point);
    const sum = sums.get(key) ?? zero();
    add(sum, point);
    sums.set(key, sum);
  }
  return sums;
}

/** A rate that is 0, not NaN, when nothing happened. */
export const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
