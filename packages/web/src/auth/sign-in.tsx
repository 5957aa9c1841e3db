import type { ApiKey } from '@structured-prompt/contracts';
import { type FormEvent, useState } from 'react';
import { type ApiClient, ApiError, createApiClient } from '../api/client.ts';
import { storeKey } from './session.ts';

interface SignInProps {
  onSignedIn: (apiKey: string, client: ApiClient, key: ApiKey) => void;
  notice?: string | undefined;
}

/** Why a key was refused, in words a person can act on. */
export function signInError(error: unknown): string {
  if (error instanceof ApiError && error.status === 401)
    return 'This key was not accepted: it is wrong, revoked or expired.';
  if (error instanceof ApiError)
    return `The service refused the key: ${error.problem.detail ?? error.message}`;
  return 'The service could not be reached. Check that it is running and try again.';
}

export function SignIn({ onSignedIn, notice }: SignInProps) {
  const [apiKey, setApiKey] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const client = createApiClient(apiKey.trim());
    try {
      const key = await client.me();
      storeKey(apiKey.trim(), remember);
      onSignedIn(apiKey.trim(), client, key);
    } catch (caught) {
      setError(signInError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Structured Prompt Service</h1>
        <p className="muted">Sign in with an API key. It is sent only to this service.</p>
        {notice && <p className="notice">{notice}</p>}
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="sp_…"
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          required
        />
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
          Remember me on this device
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || apiKey.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
