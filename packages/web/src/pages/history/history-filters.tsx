import type { RequestListQuery, RequestStatus } from '@structured-prompt/contracts';
import { type FormEvent, useState } from 'react';

const empty = { q: '', status: '', provider: '', model: '', cached: '', from: '', to: '' };

/** The filters of GET /v1/requests; applied on submit so typing does not fire a request per key. */
export function HistoryFilters({ onApply }: { onApply: (filters: RequestListQuery) => void }) {
  const [form, setForm] = useState(empty);
  const field = (name: keyof typeof empty) => ({
    id: `filter-${name}`,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const filters: RequestListQuery = {};
    if (form.q) filters.q = form.q;
    if (form.status) filters.status = form.status as RequestStatus;
    if (form.provider) filters.provider = form.provider;
    if (form.model) filters.model = form.model;
    if (form.cached) filters.cached = form.cached === 'true';
    if (form.from) filters.from = new Date(form.from).toISOString();
    if (form.to) filters.to = new Date(form.to).toISOString();
    onApply(filters);
  };
  return (
    <form className="row" onSubmit={submit} aria-label="Filter requests">
      <div>
        <label htmlFor="filter-q">Prompt contains</label>
        <input type="search" {...field('q')} />
      </div>
      <div>
        <label htmlFor="filter-status">Status</label>
        <select {...field('status')}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="validation_failed">Validation failed</option>
          <option value="error">Error</option>
        </select>
      </div>
      <div>
        <label htmlFor="filter-provider">Provider</label>
        <input {...field('provider')} />
      </div>
      <div>
        <label htmlFor="filter-model">Model</label>
        <input {...field('model')} />
      </div>
      <div>
        <label htmlFor="filter-cached">Cached</label>
        <select {...field('cached')}>
          <option value="">Either</option>
          <option value="true">Cached</option>
          <option value="false">Not cached</option>
        </select>
      </div>
      <div>
        <label htmlFor="filter-from">From</label>
        <input type="datetime-local" {...field('from')} />
      </div>
      <div>
        <label htmlFor="filter-to">To</label>
        <input type="datetime-local" {...field('to')} />
      </div>
      <button type="submit">Apply filters</button>
    </form>
  );
}
