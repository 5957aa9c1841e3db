import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../auth/session-context.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { dateTime } from '../../lib/format.ts';

/** Items that failed every attempt (admin): why, and a retry. */
export function DeadLetters() {
  const { client } = useSession();
  const queries = useQueryClient();
  const letters = useQuery({ queryKey: ['dead-letters'], queryFn: () => client.deadLetters() });
  const retry = useMutation({
    mutationFn: (id: string) => client.retryDeadLetter(id),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['dead-letters'] }),
  });
  return (
    <section aria-labelledby="dead-letters-title">
      <h2 id="dead-letters-title">Dead letters</h2>
      {letters.isPending && <Loading />}
      {letters.error && <ErrorState error={letters.error} />}
      {retry.error && <ErrorState error={retry.error} />}
      {letters.data?.items.length === 0 && (
        <Empty>No dead letters: every item finished or is still being tried.</Empty>
      )}
      {letters.data && letters.data.items.length > 0 && (
        <TableWrap label="Dead letters">
          <table>
            <caption className="visually-hidden">Dead letters</caption>
            <thead>
              <tr>
                {['Job / item', 'Error', 'Attempts', 'When', 'Actions'].map((heading) => (
                  <th scope="col" key={heading}>
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {letters.data.items.map((letter) => (
                <tr key={letter.id}>
                  <th scope="row">
                    {letter.job_id.slice(0, 8)}… #{letter.index + 1}
                  </th>
                  <td>
                    <code>{letter.error.code}</code> {letter.error.detail}
                  </td>
                  <td>{letter.attempts}</td>
                  <td>{dateTime(letter.created_at)}</td>
                  <td>
                    {letter.retried_at ? (
                      `retried ${dateTime(letter.retried_at)}`
                    ) : (
                      <button type="button" className="secondary" onClick={() => retry.mutate(letter.id)}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
