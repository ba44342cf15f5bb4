import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { api, expectNoContent, unwrap, type Schemas } from '../api/client';
import { sessionStore, type SessionState } from './session-store';
import { SignInPage } from './sign-in-page';

export type CurrentUser = Schemas['CurrentUserDto'];

interface SessionContextValue {
  user: CurrentUser;
  token: string;
  /** Ends this session at the API, then here. */
  signOut: () => Promise<void>;
  /** Ends every session of the user (other browsers and devices too), then this one here. */
  signOutEverywhere: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSessionState(): SessionState {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.getSnapshot);
}

/** The signed-in user; only inside `RequireSession`. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside RequireSession');
  return value;
}

/** Keeps what a sign-in answered, forgetting the last user's cache when someone else signs in. */
function useFinishSignIn(): (result: Schemas['LoginResponseDto']) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (result: Schemas['LoginResponseDto']) => {
      const previousUser = sessionStore.getSnapshot().session?.userId ?? lastUserId;
      // Another user at this desk must not see what the last one had cached.
      if (previousUser && previousUser !== result.user.id) queryClient.clear();
      lastUserId = result.user.id;
      sessionStore.signedIn(result);
    },
    [queryClient],
  );
}

/** Signs in with a password and, for an account with an authenticator app, its code. */
export function useSignIn(): (email: string, password: string, code?: string) => Promise<void> {
  const finish = useFinishSignIn();
  return useCallback(
    async (email: string, password: string, code?: string) => {
      finish(await unwrap(api.POST('/api/auth/login', { body: { email, password, code } })));
    },
    [finish],
  );
}

/** Ends a single sign-on: exchanges the one-time code the API handed back for a session. */
export function useSingleSignOnExchange(): (code: string) => Promise<void> {
  const finish = useFinishSignIn();
  return useCallback(
    async (code: string) => {
      finish(await unwrap(api.POST('/api/auth/oidc/exchange', { body: { code } })));
    },
    [finish],
  );
}

/** Who was signed in before the session expired, to tell whether the cache may be kept. */
let lastUserId: string | null = sessionStore.getSnapshot().session?.userId ?? null;

/**
 * Renders its children for a signed-in user, and the sign-in form otherwise, in place: the URL
 * does not change, so signing in again after an expired session lands on the same page.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, expired } = useSessionState();
  const queryClient = useQueryClient();
  const token = session?.token;
  // Keyed by session, not token: a silent refresh must not reload the account (nor the page).
  const me = useQuery({
    queryKey: ['me', session?.sessionId],
    queryFn: () => unwrap(api.GET('/api/auth/me')),
    enabled: Boolean(token),
    staleTime: Infinity,
  });
  const forget = useCallback(() => {
    lastUserId = null;
    sessionStore.signOut();
    queryClient.clear();
  }, [queryClient]);
  // Signing out must work offline too: the API is told when it can be, and the tab forgets anyway.
  const signOut = useCallback(async () => {
    await api.POST('/api/auth/logout').catch(() => undefined);
    forget();
  }, [forget]);
  const signOutEverywhere = useCallback(async () => {
    await expectNoContent(api.POST('/api/auth/logout-all'));
    forget();
  }, [forget]);
  const value = useMemo(
    () => (me.data && token ? { user: me.data, token, signOut, signOutEverywhere } : null),
    [me.data, token, signOut, signOutEverywhere],
  );
  if (!token) return <SignInPage expired={expired} />;
  if (me.isError)
    return (
      <main className="centered">
        <p role="alert">Could not load your account: {me.error.message}</p>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </main>
    );
  if (!value)
    return (
      <main className="centered">
        <p role="status">Loading your account…</p>
      </main>
    );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
