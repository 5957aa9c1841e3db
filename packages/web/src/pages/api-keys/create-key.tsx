import type { CreateApiKeyRequest } from '@structured-prompt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { ErrorState } from '../../components/states.tsx';
import { SecretOnce } from './secret-once.tsx';

const blank = {
  name: '',
  team: '',
  admin: false,
  ratePerHour: '',
  tokensPerMinute: '',
  budget: '',
  expiresInDays: '',
};

function toRequest(form: typeof blank): CreateApiKeyRequest {
  const request: CreateApiKeyRequest = { name: form.name.trim(), scopes: form.admin ? ['admin'] : ['user'] };
  if (form.team.trim()) request.team = form.team.trim();
  if (form.ratePerHour) request.rate_limit_per_hour = Number(form.ratePerHour);
  if (form.tokensPerMinute) request.tokens_per_minute = Number(form.tokensPerMinute);
  if (form.budget) request.monthly_budget_usd = Number(form.budget);
  if (form.expiresInDays) request.expires_in_days = Number(form.expiresInDays);
  return request;
}

/** Issues a key with its limits and budget; the secret is shown once, right here. */
export function CreateKey() {
  const { client } = useSession();
  const queries = useQueryClient();
  const [form, setForm] = useState(blank);
  const create = useMutation({
    mutationFn: () => client.createKey(toRequest(form)),
    onSuccess: () => {
      setForm(blank);
      return queries.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const field = (name: Exclude<keyof typeof blank, 'admin'>, label: string, type = 'number') => (
    <div>
      <label htmlFor={`key-${name}`}>{label}</label>
      <input
        id={`key-${name}`}
        type={type}
        min={type === 'number' ? 0 : undefined}
        step="any"
        required={name === 'name'}
        value={form[name]}
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
      />
    </div>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      <div className="row">
        {field('name', 'Name', 'text')}
        {field('team', 'Team', 'text')}
        {field('ratePerHour', 'Requests per hour')}
        {field('tokensPerMinute', 'Tokens per minute')}
        {field('budget', 'Monthly budget (USD)')}
        {field('expiresInDays', 'Expires in days')}
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.admin}
          onChange={(event) => setForm({ ...form, admin: event.target.checked })}
        />
        Admin key (manages keys and sees every request)
      </label>
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </div>
      {create.error && <ErrorState error={create.error} />}
      {create.data && (
        <SecretOnce secret={create.data.key} name={create.data.name} onDone={() => create.reset()} />
      )}
    </form>
  );
}
