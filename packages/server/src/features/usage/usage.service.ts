import type {
  ProviderUsageReport,
  UsageGroupBy,
  UsageProvidersQuery,
  UsageQuery,
  UsageReport,
} from '@structured-prompt/contracts';
import type { Static } from 'typebox';
import { AppError } from '../../lib/app-error.ts';
import type { Caller } from '../history/history.service.ts';
import type { Counters, UsageRange, UsageRepository } from './usage.repository.ts';
import { addCounters, emptyCounters, latencyQuantile, toMetrics } from './usage-metrics.ts';

type Bucket = UsageReport['bucket'];

const hourMs = 3_600_000;
const defaultRangeMs = 30 * 86_400_000;
/** Hourly series longer than this are refused (ask for days); days and months have no cap. */
const maxHourlyRangeMs = 93 * 86_400_000;

function bucketStart(hour: Date, bucket: Bucket): Date {
  if (bucket === 'hour') return hour;
  if (bucket === 'day')
    return new Date(Date.UTC(hour.getUTCFullYear(), hour.getUTCMonth(), hour.getUTCDate()));
  return new Date(Date.UTC(hour.getUTCFullYear(), hour.getUTCMonth(), 1));
}

const ratio = (part: number, whole: number) =>
  whole <= 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;

/** Usage and cost from the rollups, scoped like the history: a user key sees its own usage only. */
export class UsageService {
  readonly #repository: UsageRepository;

  constructor(repository: UsageRepository) {
    this.#repository = repository;
  }

  range(caller: Caller, query: Pick<UsageQuery, 'from' | 'to' | 'api_key_id'>, now = new Date()): UsageRange {
    if (!caller.isAdmin && query.api_key_id !== undefined && query.api_key_id !== caller.keyId) {
      throw new AppError('forbidden', 'A user key can read only its own usage.');
    }
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - defaultRangeMs);
    if (from.getTime() >= to.getTime()) throw new AppError('bad_request', '`from` must be before `to`.');
    // Rollups are hourly: the range is widened to whole hours.
    return {
      from: new Date(Math.floor(from.getTime() / hourMs) * hourMs),
      to: new Date(Math.ceil(to.getTime() / hourMs) * hourMs),
      apiKeyId: caller.isAdmin ? query.api_key_id : caller.keyId,
    };
  }

  async report(caller: Caller, query: UsageQuery): Promise<UsageReport> {
    const range = this.range(caller, query);
    const bucket = query.bucket ?? 'day';
    if (bucket === 'hour' && range.to.getTime() - range.from.getTime() > maxHourlyRangeMs) {
      throw new AppError('bad_request', 'An hourly series covers at most 93 days; ask for `bucket=day`.');
    }
    const groupBy = query.group_by;
    const rows = await this.#repository.sums(range, groupBy ? [groupBy] : [], true);
    const points = new Map<string, { start: Date; group: string | null; counters: Counters }>();
    const totals = emptyCounters();
    for (const row of rows) {
      const start = bucketStart(row.hour!, bucket);
      const group = row.groups[0] ?? null;
      const id = `${start.toISOString()}|${group ?? ''}`;
      const point = points.get(id) ?? { start, group, counters: emptyCounters() };
      points.set(id, point);
      addCounters(point.counters, row.counters);
      addCounters(totals, row.counters);
    }
    const series = [...points.values()]
      .sort((a, b) => a.start.getTime() - b.start.getTime() || String(a.group).localeCompare(String(b.group)))
      .map((point) => ({
        bucket_start: point.start.toISOString(),
        ...(groupBy ? { group: point.group } : {}),
        ...toMetrics(point.counters),
      }));
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      bucket,
      group_by: (groupBy ?? null) as UsageGroupBy | null,
      totals: toMetrics(totals),
      series,
    };
  }

  async providers(caller: Caller, query: UsageProvidersQuery): Promise<Static<typeof ProviderUsageReport>> {
    const range = this.range(caller, query);
    const rows = await this.#repository.sums(range, ['provider', 'model'], false);
    const items = rows
      .map(({ groups: [provider, model], counters }) => {
        const calledModel = counters.requests - counters.cache_hits;
        return {
          provider: provider ?? null,
          model: model ?? null,
          requests: counters.requests,
          cost_usd: Math.round(counters.cost_usd * 1e9) / 1e9,
          cost_per_request_usd:
            counters.requests === 0 ? 0 : Math.round((counters.cost_usd / counters.requests) * 1e9) / 1e9,
          error_rate: ratio(counters.errors, counters.requests),
          first_attempt_pass_rate: ratio(counters.first_attempt_passes, calledModel),
          latency_p50_ms: latencyQuantile(counters, 0.5),
          latency_p95_ms: latencyQuantile(counters, 0.95),
          latency_p99_ms: latencyQuantile(counters, 0.99),
        };
      })
      .sort((a, b) => b.requests - a.requests);
    return { from: range.from.toISOString(), to: range.to.toISOString(), items };
  }
}
