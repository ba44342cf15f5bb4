/**
 * The session's tokens, in memory and in this tab's sessionStorage. sessionStorage keeps a
 * signed-in tab signed in across a reload, is not shared with other tabs and is gone when the tab
 * closes; a script injected into the page could read it as it could read memory, which the CSP
 * (scripts from the console's own origin only) guards against.
 *
 * The access token lives minutes; before it runs out (and on a 401) the console exchanges the
 * refresh token for new ones. Each refresh token works once, and the API ends the session when a
 * replaced one comes back (RFC 9700 §4.14.2), so tabs sharing a session (a duplicated tab) take
 * turns: one refresh at a time per session under a Web Lock, the result passed to the other tabs
 * on a BroadcastChannel. The API's short grace window covers the rare tab that asks before the
 * news arrives.
 */
const STORAGE_KEY = 'homeward.session';
const CHANNEL = 'homeward.session';
/** Refresh this long before the access token expires (at most a fifth of its life). */
const REFRESH_LEAD_MS = 60_000;

export interface Session {
  token: string;
  refreshToken: string;
  userId: string;
  /** The API's session (sign-in) the tokens belong to. */
  sessionId: string;
  expiresAt: number;
}

export interface SessionState {
  session: Session | null;
  /** Set when the session ended without the user signing out (expired, or refused by the API). */
  expired: boolean;
}

interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string };
}

type ChannelMessage =
  { type: 'refreshed'; session: Session } | { type: 'ended'; sessionId: string; expired: boolean };

/** The `sid` claim of an access token (the console reads it, it never trusts it). */
function sessionIdOf(token: string): string {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as {
      sid?: unknown;
    };
    return typeof payload.sid === 'string' ? payload.sid : '';
  } catch {
    return '';
  }
}

function isSession(value: Partial<Session> | null | undefined): value is Session {
  return (
    !!value &&
    typeof value.token === 'string' &&
    typeof value.refreshToken === 'string' &&
    typeof value.userId === 'string' &&
    typeof value.sessionId === 'string' &&
    typeof value.expiresAt === 'number'
  );
}

function readStored(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Session>) : null;
    // An expired access token is fine: the refresh token may still be good.
    return isSession(parsed) ? parsed : null;
  } catch {
    // Storage disabled or a damaged entry: start signed out.
    return null;
  }
}

let state: SessionState = { session: readStored(), expired: false };
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<boolean> | null = null;
const listeners = new Set<() => void>();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;

function toSession(response: TokenResponse): Session {
  return {
    token: response.accessToken,
    refreshToken: response.refreshToken,
    userId: response.user.id,
    sessionId: sessionIdOf(response.accessToken),
    expiresAt: Date.now() + response.expiresIn * 1000,
  };
}

function publish(next: SessionState): void {
  state = next;
  clearTimeout(refreshTimer);
  if (next.session) {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next.session));
    } catch {
      // Storage disabled: the session lives in memory only, until a reload.
    }
    const { expiresAt } = next.session;
    const lifetime = Math.max(0, expiresAt - Date.now());
    const lead = Math.min(REFRESH_LEAD_MS, lifetime / 5);
    refreshTimer = setTimeout(() => void sessionStore.refresh(), Math.max(0, lifetime - lead));
  } else {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing stored.
    }
  }
  for (const listener of listeners) listener();
}

channel?.addEventListener('message', (event: MessageEvent<ChannelMessage>) => {
  const current = state.session;
  if (!current) return;
  const message = event.data;
  if (message.type === 'refreshed' && message.session.sessionId === current.sessionId)
    publish({ session: message.session, expired: false });
  if (message.type === 'ended' && message.sessionId === current.sessionId)
    publish({ session: null, expired: message.expired });
});

/** Runs `work` holding the session's refresh lock, shared by every tab of this origin. */
function withRefreshLock(sessionId: string, work: () => Promise<boolean>): Promise<boolean> {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return work();
  // The lock is held until `work` settles; `then` unwraps the promise the typings nest.
  return navigator.locks.request(`homeward.refresh.${sessionId}`, work).then((granted) => granted);
}

async function exchange(before: Session): Promise<boolean> {
  // Another tab refreshed while this one waited for the lock: take what it got.
  if (state.session && state.session.refreshToken !== before.refreshToken) return true;
  let response: Response;
  try {
    response = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: before.refreshToken }),
    });
  } catch {
    // Offline: try again shortly; the access token may still have time left.
    refreshTimer = setTimeout(() => void sessionStore.refresh(), 5_000);
    return false;
  }
  if (state.session?.sessionId !== before.sessionId) return false;
  if (!response.ok) {
    if (response.status === 401) {
      channel?.postMessage({
        type: 'ended',
        sessionId: before.sessionId,
        expired: true,
      } satisfies ChannelMessage);
      sessionStore.expire();
    } else refreshTimer = setTimeout(() => void sessionStore.refresh(), 5_000);
    return false;
  }
  const session = toSession((await response.json()) as TokenResponse);
  publish({ session, expired: false });
  channel?.postMessage({ type: 'refreshed', session } satisfies ChannelMessage);
  return true;
}

export const sessionStore = {
  getSnapshot: (): SessionState => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  token: (): string | null => state.session?.token ?? null,
  signedIn: (response: TokenResponse): void => {
    publish({ session: toSession(response), expired: false });
  },
  /**
   * Exchanges the refresh token for new tokens, once at a time per session across tabs; answers
   * whether this tab now holds a fresh access token. A refused refresh ends the session.
   */
  refresh: (): Promise<boolean> => {
    const before = state.session;
    if (!before) return Promise.resolve(false);
    inFlight ??= withRefreshLock(before.sessionId, () => exchange(before)).finally(() => {
      inFlight = null;
    });
    return inFlight;
  },
  /** Forgets the session here and in the tabs that share it (the caller tells the API first). */
  signOut: (): void => {
    const sessionId = state.session?.sessionId;
    if (sessionId)
      channel?.postMessage({ type: 'ended', sessionId, expired: false } satisfies ChannelMessage);
    publish({ session: null, expired: false });
  },
  /** The API refused the session: ask to sign in again, keeping the page. */
  expire: (): void => {
    if (state.session) publish({ session: null, expired: true });
  },
};

if (state.session) publish(state);
