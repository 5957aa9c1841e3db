import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { LineChart } from '../../components/line-chart.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { download } from '../../lib/download.ts';
import { AnalyticsFilters, defaultFilter, toQuery } from './analytics-filters.tsx';
import { sumBy } from './usage-math.ts';
import { GroupTable, ProviderTable, Totals } from './usage-tables.tsx';

/** Requests, cost, tokens, cache savings, errors and latency from the usage rollups; refreshed every 30 s. */
export default function Analytics() {
  const { client } = useSession();
  const [filter, setFilter] = useState(defaultFilter);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const query = toQuery(filter);
  const refetchInterval = autoRefresh ? 30_000 : false;
  const usage = useQuery({ queryKey: ['usage', query], queryFn: () => client.usage(query), refetchInterval });
  const providers = useQuery({
    queryKey: ['usage-providers', query.from, query.to],
    queryFn: () => client.usageByProvider({ from: query.from, to: query.to }),
    refetchInterval,
  });
  const perBucket = useMemo(
    () => sumBy(usage.data?.series ?? [], (point) => point.bucket_start),
    [usage.data],
  );
  const labels = useMemo(
    () => [...perBucket.keys()].map((start) => start.slice(0, filter.bucket === 'hour' ? 16 : 10)),
    [perBucket, filter.bucket],
  );
  const values = [...perBucket.values()];
  const exportCsv = async () =>
    download(`usage-${filter.from}-${filter.to}.csv`, await client.usageCsv(query), 'text/csv');

  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">Analytics</h1>
      <AnalyticsFilters filter={filter} onChange={setFilter} />
      <div className="actions">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={autoRefresh}
            onChange={(event) => setAutoRefresh(event.target.checked)}
          />
          Refresh every 30 seconds
        </label>
        <button type="button" className="secondary" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      {usage.isPending && <Loading />}
      {usage.error && <ErrorState error={usage.error} />}
      {usage.data && <Totals totals={usage.data.totals} />}
      {usage.data && usage.data.series.length === 0 && <Empty>No requests in this range yet.</Empty>}
      {usage.data && usage.data.series.length > 0 && (
        <div className="columns">
          <LineChart
            title="Requests and errors per bucket"
            labels={labels}
            series={[
              { label: 'Requests', values: values.map((sum) => sum.requests) },
              { label: 'Cache hits', values: values.map((sum) => sum.cache_hits) },
              { label: 'Errors', values: values.map((sum) => sum.errors + sum.validation_failures) },
            ]}
          />
          <LineChart
            title="Cost and savings per bucket in US dollars"
            labels={labels}
            series={[
              { label: 'Cost (USD)', values: values.map((sum) => sum.cost_usd) },
              { label: 'Saved by the cache (USD)', values: values.map((sum) => sum.saved_cost_usd) },
            ]}
          />
        </div>
      )}
      {usage.data?.group_by && <GroupTable report={usage.data} />}
      {providers.error && <ErrorState error={providers.error} />}
      {providers.data && <ProviderTable report={providers.data} />}
    </section>
  );
}
