import type { ApiKey } from '@structured-prompt/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Router } from 'wouter';
import { type ApiClient, ApiError, createApiClient } from './api/client.ts';
import { forgetKey, storedKey } from './auth/session.ts';
import { type Session, SessionContext } from './auth/session-context.tsx';
import { SignIn, signInError } from './auth/sign-in.tsx';
import { Layout } from './layout.tsx';

type Gate =
  | { state: 'checking' }
  | { state: 'signed-out'; notice?: string }
  | { state: 'in'; session: Session };

/** Checks a remembered key once at start; a key revoked since then lands on the sign-in page. */
function useSessionGate() {
  const [gate, setGate] = useState<Gate>(() =>
    storedKey() ? { state: 'checking' } : { state: 'signed-out' },
  );
  const queries = useQueryClient();
  const signOut = (notice?: string) => {
    forgetKey();
    queries.clear();
    setGate({ state: 'signed-out', ...(notice ? { notice } : {}) });
  };
  const signIn = (client: ApiClient, key: ApiKey) =>
    setGate({
      state: 'in',
      session: { client, key, isAdmin: key.scopes.includes('admin'), signOut: () => signOut() },
    });

  // Runs once: a stored key is checked at start only.
  // biome-ignore lint/correctness/useExhaustiveDependencies: start-up check
  useEffect(() => {
    const apiKey = storedKey();
    if (!apiKey) return;
    const client = createApiClient(apiKey);
    client.me().then(
      (key) => signIn(client, key),
      (error: unknown) => signOut(signInError(error)),
    );
  }, []);
  useSignOutOnRevokedKey(gate.state === 'in', signOut);
  return { gate, signIn };
}

/** A key revoked or expired while signed in: any call answered 401 returns to the sign-in page. */
function useSignOutOnRevokedKey(signedIn: boolean, signOut: (notice: string) => void) {
  const queries = useQueryClient();
  const latest = useRef(signOut);
  latest.current = signOut;
  useEffect(() => {
    if (!signedIn) return;
    const check = (error: unknown) => {
      if (error instanceof ApiError && error.status === 401)
        queueMicrotask(() => latest.current(signInError(error)));
    };
    const unsubscribeQueries = queries.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') check(event.action.error);
    });
    const unsubscribeMutations = queries.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') check(event.action.error);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [signedIn, queries]);
}

export function App() {
  const { gate, signIn } = useSessionGate();
  if (gate.state === 'checking') return <p role="status">Checking your key…</p>;
  if (gate.state === 'signed-out')
    return <SignIn notice={gate.notice} onSignedIn={(_apiKey, client, key) => signIn(client, key)} />;
  return (
    <SessionContext.Provider value={gate.session}>
      <Router base="/dashboard">
        <Layout />
      </Router>
    </SessionContext.Provider>
  );
}
