/**
 * The access token, in memory and in this tab's sessionStorage. sessionStorage keeps a signed-in
 * tab signed in across a reload, is not shared with other tabs and is gone when the tab closes;
 * a script injected into the page could read it as it could read memory, which the CSP (scripts
 * from the console's own origin only) guards against. No refresh tokens exist: when the token
 * expires the console asks to sign in again, over the page the user was on.
 */
const STORAGE_KEY = 'homeward.session';

export interface Session {
  token: string;
  userId: string;
  expiresAt: number;
}

export interface SessionState {
  session: Session | null;
  /** Set when the session ended without the user signing out (expired, or refused by the API). */
  expired: boolean;
}

function readStored(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== 'string' || typeof parsed.userId !== 'string') return null;
    if (typeof parsed.expiresAt !== 'number' || parsed.expiresAt <= Date.now()) return null;
    return { token: parsed.token, userId: parsed.userId, expiresAt: parsed.expiresAt };
  } catch {
    // Storage disabled or a damaged entry: start signed out.
    return null;
  }
}

let state: SessionState = { session: readStored(), expired: false };
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function publish(next: SessionState): void {
  state = next;
  clearTimeout(expiryTimer);
  if (next.session) {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next.session));
    } catch {
      // Storage disabled: the session lives in memory only, until a reload.
    }
    expiryTimer = setTimeout(() => sessionStore.expire(), Math.max(0, next.session.expiresAt - Date.now()));
  } else {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing stored.
    }
  }
  for (const listener of listeners) listener();
}

if (state.session) publish(state);

export const sessionStore = {
  getSnapshot: (): SessionState => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  token: (): string | null => state.session?.token ?? null,
  signedIn: (token: string, userId: string, expiresInSeconds: number): void => {
    publish({ session: { token, userId, expiresAt: Date.now() + expiresInSeconds * 1000 }, expired: false });
  },
  signOut: (): void => {
    publish({ session: null, expired: false });
  },
  /** The API refused the token or it ran out: ask to sign in again, keeping the page. */
  expire: (): void => {
    if (state.session) publish({ session: null, expired: true });
  },
};
