import type { ReplayDiff } from '@structured-prompt/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { ErrorState } from '../../components/states.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { ms, usd } from '../../lib/format.ts';

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

function DiffTable({ diff }: { diff: ReplayDiff }) {
  const rows: Array<[string, string, string]> = [
    ['Validation', diff.validation_status.before, diff.validation_status.after],
    ['Provider', String(diff.provider.before), String(diff.provider.after)],
    ['Model', String(diff.model.before), String(diff.model.after)],
    ['Cost', usd(diff.cost_usd.before), usd(diff.cost_usd.after)],
    ['Latency', ms(diff.latency_ms.before), ms(diff.latency_ms.after)],
    ['Tokens', String(diff.total_tokens.before), String(diff.total_tokens.after)],
    ...diff.changed_fields.map((field): [string, string, string] => [
      `${field.path} (${field.change})`,
      show(field.before),
      show(field.after),
    ]),
  ];
  return (
    <TableWrap label="Replay comparison">
      <table>
        <caption className="visually-hidden">Original and replay compared</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Original</th>
            <th scope="col">Replay</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([what, before, after]) => (
            <tr key={what}>
              <th scope="row">{what}</th>
              <td className={before !== after ? 'diff-removed' : undefined}>{before}</td>
              <td className={before !== after ? 'diff-added' : undefined}>{after}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Asks again, with another provider or model if chosen, and shows what changed. */
export function Replay({ requestId }: { requestId: string }) {
  const { client } = useSession();
  const providers = useQuery({ queryKey: ['providers'], queryFn: () => client.providers() });
  const [provider, setProvider] = useState('');
  const replay = useMutation({ mutationFn: () => client.replay(requestId, provider ? { provider } : {}) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    replay.mutate();
  };
  return (
    <section aria-labelledby="replay-title">
      <h2 id="replay-title">Replay</h2>
      <form className="row" onSubmit={submit}>
        <div>
          <label htmlFor="replay-provider">Provider</label>
          <select id="replay-provider" value={provider} onChange={(event) => setProvider(event.target.value)}>
            <option value="">Same as the original</option>
            {providers.data?.providers
              .filter((entry) => entry.enabled)
              .map((entry) => (
                <option key={entry.name}>{entry.name}</option>
              ))}
          </select>
        </div>
        <button type="submit" disabled={replay.isPending}>
          {replay.isPending ? 'Replaying…' : 'Replay'}
        </button>
      </form>
      {replay.error && <ErrorState error={replay.error} />}
      {replay.data && (
        <>
          <p role="status">
            {replay.data.diff.identical_answer ? 'Same answer as the original.' : 'The answer changed.'} New
            request {replay.data.replay.request_id}.
          </p>
          <DiffTable diff={replay.data.diff} />
        </>
      )}
    </section>
  );
}
