import type { ApiKey } from '@structured-prompt/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { dateTime, usd } from '../../lib/format.ts';
import { CreateKey } from './create-key.tsx';
import { SecretOnce } from './secret-once.tsx';

type Action = 'revoke' | 'activate' | 'rotate';

function useKeyAction() {
  const { client } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ key, action }: { key: ApiKey; action: Action }) => {
      if (action === 'revoke') await client.revokeKey(key.id);
      if (action === 'activate') await client.activateKey(key.id);
      if (action === 'rotate') return client.rotateKey(key.id);
      return null;
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['keys'] }),
  });
}

/** This hour's and this month's use of one key, read from the key's own record. */
function KeyUsage({ id }: { id: string }) {
  const { client } = useSession();
  const detail = useQuery({ queryKey: ['key', id], queryFn: () => client.key(id), staleTime: 30_000 });
  const usage = detail.data?.usage;
  if (detail.error) return <span className="error">unavailable</span>;
  if (!usage) return <span className="muted">…</span>;
  return (
    <>
      {usage.requests_this_month} requests, {usd(usage.cost_this_month_usd)}
      <div className="muted">
        {usage.tokens_this_month} tokens; {usage.requests_this_hour} this hour
      </div>
    </>
  );
}

function KeyRow({ apiKey, act, isSelf }: { apiKey: ApiKey; act: (action: Action) => void; isSelf: boolean }) {
  return (
    <tr>
      <th scope="row">
        {apiKey.name}
        <div className="muted">
          <code>{apiKey.key_prefix}…</code> {apiKey.team ?? ''}
        </div>
      </th>
      <td>{apiKey.scopes.join(', ')}</td>
      <td>
        {apiKey.is_active ? (
          <span className="badge ok">active</span>
        ) : (
          <span className="badge error">revoked</span>
        )}
      </td>
      <td>
        {apiKey.rate_limit_per_hour}/h
        {apiKey.tokens_per_minute ? `, ${apiKey.tokens_per_minute} tokens/min` : ''}
        {apiKey.monthly_budget_usd !== null ? `, ${usd(apiKey.monthly_budget_usd)}/month` : ''}
      </td>
      <td>
        <KeyUsage id={apiKey.id} />
      </td>
      <td>{dateTime(apiKey.last_used_at)}</td>
      <td>
        <div className="actions">
          {apiKey.is_active ? (
            <button
              type="button"
              className="danger"
              disabled={isSelf}
              onClick={() => act('revoke')}
              aria-label={`Revoke ${apiKey.name}`}
            >
              Revoke
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              onClick={() => act('activate')}
              aria-label={`Activate ${apiKey.name}`}
            >
              Activate
            </button>
          )}
          <button
            type="button"
            className="secondary"
            disabled={isSelf}
            onClick={() => act('rotate')}
            aria-label={`Rotate ${apiKey.name}`}
          >
            Rotate
          </button>
        </div>
      </td>
    </tr>
  );
}

/** Every key with its limits and this month's usage; create, revoke, activate and rotate (admin). */
export default function ApiKeys() {
  const { client, key: self } = useSession();
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => client.keys() });
  const action = useKeyAction();
  const [rotatedName, setRotatedName] = useState('');
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      <CreateKey />
      <h2>Keys</h2>
      {keys.isPending && <Loading />}
      {keys.error && <ErrorState error={keys.error} />}
      {action.error && <ErrorState error={action.error} />}
      {action.data && (
        <SecretOnce secret={action.data.key} name={rotatedName} onDone={() => action.reset()} />
      )}
      {keys.data?.items.length === 0 && <Empty>No keys yet.</Empty>}
      {keys.data && keys.data.items.length > 0 && (
        <TableWrap label="API keys">
          <table>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                {['Name', 'Scopes', 'State', 'Limits', 'This month', 'Last used', 'Actions'].map(
                  (heading) => (
                    <th scope="col" key={heading}>
                      {heading}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((apiKey) => (
                <KeyRow
                  key={apiKey.id}
                  apiKey={apiKey}
                  isSelf={apiKey.id === self.id}
                  act={(kind) => {
                    setRotatedName(apiKey.name);
                    action.mutate({ key: apiKey, action: kind });
                  }}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
