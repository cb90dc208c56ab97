import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getCsv, getJson } from './api.js';
import type { Me } from './types.js';

/** Why the user is at the sign-in page, shown there. */
export type SignOutReason = 'signed-out' | 'expired';

interface Session {
  status: 'checking' | 'signed-out' | 'signed-in';
  token: string | null;
  me: Me | null;
  notice: SignOutReason | null;
  /** Checks the token with GET /v1/auth/me and keeps it for this browser tab; rejects with the API's problem. */
  signIn(token: string): Promise<Me>;
  signOut(reason?: SignOutReason): void;
}

// sessionStorage: the token lives as long as the tab, never in a cookie, never sent anywhere but the API.
const TOKEN_KEY = 'sped.token';
const SessionContext = createContext<Session | null>(null);

function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(storedToken);
  const [me, setMe] = useState<Me | null>(null);
  const [status, setStatus] = useState<Session['status']>(token ? 'checking' : 'signed-out');
  const [notice, setNotice] = useState<SignOutReason | null>(null);

  const signOut = useCallback((reason: SignOutReason = 'signed-out') => {
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Nothing stored.
    }
    setToken(null);
    setMe(null);
    setStatus('signed-out');
    setNotice(reason);
  }, []);

  const signIn = useCallback(async (candidate: string) => {
    const clean = candidate.trim().replace(/^Bearer\s+/i, '');
    const who = await getJson<Me>('/v1/auth/me', clean);
    try {
      sessionStorage.setItem(TOKEN_KEY, clean);
    } catch {
      // Kept in memory only: signing in again is needed after a reload.
    }
    setToken(clean);
    setMe(who);
    setStatus('signed-in');
    setNotice(null);
    return who;
  }, []);

  useEffect(() => {
    const saved = storedToken();
    if (!saved) return;
    getJson<Me>('/v1/auth/me', saved).then(
      (who) => {
        setMe(who);
        setStatus('signed-in');
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) signOut('expired');
        else signOut('signed-out');
      },
    );
  }, [signOut]);

  const value = useMemo<Session>(() => ({ status, token, me, notice, signIn, signOut }), [status, token, me, notice, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** API reads with the session's token; a 401 (expired or revoked token) ends the session. */
export function useApi() {
  const { token, signOut } = useSession();
  return useMemo(() => {
    const guard = async <T,>(p: Promise<T>): Promise<T> => {
      try {
        return await p;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) signOut('expired');
        throw error;
      }
    };
    return {
      get: <T,>(path: string, signal?: AbortSignal) => guard(getJson<T>(path, token, signal)),
      csv: (path: string) => guard(getCsv(path, token)),
    };
  }, [token, signOut]);
}
