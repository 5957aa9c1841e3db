import type { ApiKey } from '@structured-prompt/contracts';
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.ts';

export interface Session {
  client: ApiClient;
  key: ApiKey;
  isAdmin: boolean;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in key's client and identity; every page below the sign-in gate has one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
