import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../auth/session-context.tsx';
import { JsonBlock } from '../../components/json-block.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { ms } from '../../lib/format.ts';

/** The per-item outcomes of one job. */
export function JobResultsView({ id }: { id: string }) {
  const { client } = useSession();
  const results = useQuery({
    queryKey: ['job-results', id],
    queryFn: () => client.jobResults(id),
    refetchInterval: 3_000,
  });
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results of job {id.slice(0, 8)}…</h2>
      {results.isPending && <Loading />}
      {results.error && <ErrorState error={results.error} />}
      {results.data?.items.length === 0 && <Empty>No item has finished yet.</Empty>}
      {results.data?.items.map((item) => (
        <article key={item.index} className="card">
          <h3>
            Item {item.index + 1}: <span className="badge">{item.status}</span>
          </h3>
          <p className="muted">
            {item.attempts} attempt(s){item.latency_ms === null ? '' : `, ${ms(item.latency_ms)}`}
            {item.cached ? ', cached' : ''}
          </p>
          <JsonBlock label={`Result of item ${item.index + 1}`} value={item.result ?? item.error ?? null} />
        </article>
      ))}
    </section>
  );
}
