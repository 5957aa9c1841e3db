import type { UsageGroupBy, UsageQuery } from '@structured-prompt/contracts';

type Bucket = 'hour' | 'day' | 'month';

export interface AnalyticsFilter {
  from: string;
  to: string;
  bucket: Bucket;
  groupBy: '' | UsageGroupBy;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function defaultFilter(): AnalyticsFilter {
  const tomorrow = new Date(Date.now() + 86_400_000);
  return {
    from: isoDay(new Date(Date.now() - 6 * 86_400_000)),
    to: isoDay(tomorrow),
    bucket: 'day',
    groupBy: '',
  };
}

/** Dates of the form are whole UTC days; the API takes instants. */
export function toQuery(filter: AnalyticsFilter): UsageQuery {
  return {
    from: `${filter.from}T00:00:00.000Z`,
    to: `${filter.to}T00:00:00.000Z`,
    bucket: filter.bucket,
    ...(filter.groupBy ? { group_by: filter.groupBy } : {}),
  };
}

interface FiltersProps {
  filter: AnalyticsFilter;
  onChange: (filter: AnalyticsFilter) => void;
}

export function AnalyticsFilters({ filter, onChange }: FiltersProps) {
  return (
    <form className="row" aria-label="Date range and buckets" onSubmit={(event) => event.preventDefault()}>
      <div>
        <label htmlFor="usage-from">From (UTC day)</label>
        <input
          id="usage-from"
          type="date"
          value={filter.from}
          onChange={(event) => onChange({ ...filter, from: event.target.value })}
        />
      </div>
      <div>
        <label htmlFor="usage-to">Until (exclusive)</label>
        <input
          id="usage-to"
          type="date"
          value={filter.to}
          onChange={(event) => onChange({ ...filter, to: event.target.value })}
        />
      </div>
      <div>
        <label htmlFor="usage-bucket">Bucket</label>
        <select
          id="usage-bucket"
          value={filter.bucket}
          onChange={(event) => onChange({ ...filter, bucket: event.target.value as Bucket })}
        >
          <option value="hour">Hour</option>
          <option value="day">Day</option>
          <option value="month">Month</option>
        </select>
      </div>
      <div>
        <label htmlFor="usage-group">Group by</label>
        <select
          id="usage-group"
          value={filter.groupBy}
          onChange={(event) =>
            onChange({ ...filter, groupBy: event.target.value as AnalyticsFilter['groupBy'] })
          }
        >
          <option value="">Nothing</option>
          <option value="provider">Provider</option>
          <option value="model">Model</option>
          <option value="key">API key</option>
          <option value="schema">Schema</option>
          <option value="template">Template</option>
        </select>
      </div>
    </form>
  );
}
