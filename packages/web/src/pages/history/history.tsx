import type { RequestListQuery } from '@structured-prompt/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useSession } from '../../auth/session-context.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { dateTime, ms, usd } from '../../lib/format.ts';
import { ValidationBadge } from '../prompt-tester/result-panel.tsx';
import { HistoryFilters } from './history-filters.tsx';

/** The request log with the history API's filters, newest first, page by page. */
export default function History() {
  const { client } = useSession();
  const [filters, setFilters] = useState<RequestListQuery>({});
  const list = useInfiniteQuery({
    queryKey: ['requests', filters],
    queryFn: ({ pageParam }) =>
      client.requests({ ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      <HistoryFilters onApply={setFilters} />
      <div className="actions">
        <button type="button" className="secondary" onClick={() => list.refetch()} disabled={list.isFetching}>
          Refresh
        </button>
      </div>
      {list.isPending && <Loading />}
      {list.error && <ErrorState error={list.error} />}
      {list.isSuccess && items.length === 0 && <Empty>No requests match these filters.</Empty>}
      {items.length > 0 && (
        <TableWrap label="Requests">
          <table>
            <caption className="visually-hidden">Requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Prompt</th>
                <th scope="col">Status</th>
                <th scope="col">Provider</th>
                <th scope="col">Latency</th>
                <th scope="col">Cost</th>
                <th scope="col">Cached</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.request_id}>
                  <td>
                    <Link href={`/history/${item.request_id}`}>{dateTime(item.created_at)}</Link>
                  </td>
                  <td>{item.erased ? <em>erased</em> : (item.prompt_preview ?? '—')}</td>
                  <td>
                    <ValidationBadge
                      status={item.status === 'success' ? item.validation_status : item.status}
                    />
                  </td>
                  <td>{[item.provider, item.model].filter(Boolean).join(' / ') || '—'}</td>
                  <td>{ms(item.latency_ms)}</td>
                  <td>{usd(item.cost_usd)}</td>
                  <td>{item.cached ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {list.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            Load more
          </button>
        </div>
      )}
    </section>
  );
}
