import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  ALERTS_NAMESPACE,
  type AlertDto,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@homeward/contracts';
import { sessionStore } from '../auth/session-store';
import { mergeAlert, type AlertListFilter } from './alert-filters';
import { announceCritical } from './critical-alerts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** The alert lists the API answers, as cached by TanStack Query. */
export interface AlertList {
  items: AlertDto[];
}

/**
 * The highest `sequence` or `changeSequence` this tab has seen, from lists and socket events.
 * Sent as `auth.lastSequence` on every (re)connection, so the server replays what was missed.
 * It outlives the provider (a session that expires and is renewed keeps catching up), and is
 * forgotten on sign-out.
 */
let highestSequence = 0;

export function noteAlertsSeen(alerts: readonly AlertDto[]): void {
  for (const alert of alerts)
    highestSequence = Math.max(highestSequence, alert.sequence, alert.changeSequence);
}

sessionStore.subscribe(() => {
  const { session, expired } = sessionStore.getSnapshot();
  if (session || expired) return;
  highestSequence = 0;
  recentAlerts.clear();
});

/**
 * Alerts pushed in the last minutes. A list read through the API may have been answered just
 * before an event that arrived while it was on its way: the events are applied to it again.
 */
const RECENT_MS = 120_000;
const recentAlerts = new Map<string, { alert: AlertDto; at: number }>();

export function withRecentEvents(list: AlertList, filter: AlertListFilter, userId: string): AlertList {
  const now = Date.now();
  let items = list.items;
  for (const [id, { alert, at }] of recentAlerts) {
    if (now - at > RECENT_MS) recentAlerts.delete(id);
    else items = mergeAlert(items, alert, filter, userId, now);
  }
  return { items };
}

/** Puts an alert pushed by the socket into every cached list it belongs to, and out of the others. */
export function applyAlert(queryClient: QueryClient, alert: AlertDto): void {
  noteAlertsSeen([alert]);
  const now = Date.now();
  const previous = recentAlerts.get(alert.id)?.alert;
  if (!previous || previous.changeSequence <= alert.changeSequence)
    recentAlerts.set(alert.id, { alert, at: now });
  for (const [key, list] of queryClient.getQueriesData<AlertList>({ queryKey: ['alerts', 'list'] })) {
    if (!list) continue;
    const [, , userId, filter] = key as readonly [string, string, string, AlertListFilter];
    queryClient.setQueryData<AlertList>(key, { items: mergeAlert(list.items, alert, filter, userId, now) });
  }
  void queryClient.invalidateQueries({ queryKey: ['alerts', 'detail', alert.id] });
}

const ConnectionContext = createContext<ConnectionState>('connecting');
const AnnouncementContext = createContext('');

/** The last new critical alert, in words, for a live region that screen readers read out. */
export function useCriticalAnnouncement(): string {
  return useContext(AnnouncementContext);
}

export function useConnectionState(): ConnectionState {
  return useContext(ConnectionContext);
}

/**
 * One socket to `/alerts` per signed-in tab (websocket transport: no sticky sessions needed).
 * Events land in the TanStack Query cache, so every list and page shows them without reload.
 */
export function LiveAlertsProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectionState>(navigator.onLine ? 'connecting' : 'offline');
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    let sentLastSequence = false;
    // A replay after a long absence may hold many critical alerts: one sound says so.
    let replaying = false;
    let announcedDuringReplay = false;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(ALERTS_NAMESPACE, {
      transports: ['websocket'],
      // Called on every (re)connection: the current token and what this tab has seen so far.
      auth: (callback) => {
        sentLastSequence = highestSequence > 0;
        callback(
          sentLastSequence
            ? { token: sessionStore.token(), lastSequence: highestSequence }
            : { token: sessionStore.token() },
        );
      },
    });
    const lost = () => setState(navigator.onLine ? 'reconnecting' : 'offline');
    // The server closes a socket whose token expired or whose session ended, and refuses a
    // handshake with a stale token: refresh (shared with the rest of the console) and come back.
    // socket.io does not reconnect after a server-side close on its own. Two tries, so a session
    // that really ended lands on the sign-in page instead of looping.
    let renewals = 0;
    const renew = (refused: boolean) => {
      if (renewals >= 2) return sessionStore.expire();
      renewals += 1;
      setState('reconnecting');
      // A token the console already refreshed is tried as it is; a refused one is refreshed.
      const expiresAt = sessionStore.getSnapshot().session?.expiresAt ?? 0;
      const ready =
        !refused && expiresAt - Date.now() > 30_000 ? Promise.resolve(true) : sessionStore.refresh();
      void ready.then((fresh) => (fresh ? socket.connect() : sessionStore.expire()));
    };
    socket.on('connect', () => {
      renewals = 0;
      setState('connected');
      replaying = sentLastSequence;
      announcedDuringReplay = false;
      // Without a last sequence nothing is replayed: what came before the socket joined is read again.
      if (!sentLastSequence) void queryClient.invalidateQueries({ queryKey: ['alerts', 'list'] });
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') renew(false);
      else lost();
    });
    socket.io.on('reconnect_attempt', lost);
    socket.on('connect_error', (error) => {
      if (error.message.startsWith('unauthorized')) renew(true);
      else lost();
    });
    socket.on('alert.created', (alert) => {
      applyAlert(queryClient, alert);
      if (alert.severity !== 'critical' || (replaying && announcedDuringReplay)) return;
      announcedDuringReplay = replaying;
      setAnnouncement(`New critical alert: ${alert.summary}`);
      announceCritical(alert);
    });
    socket.on('alert.updated', (alert) => applyAlert(queryClient, alert));
    socket.on('alert.replay.complete', (summary) => {
      replaying = false;
      if (summary.truncated || summary.updatesTruncated)
        void queryClient.invalidateQueries({ queryKey: ['alerts', 'list'] });
    });
    // A laptop that loses its network: drop the socket at once rather than after the ping
    // timeout, and come back (with the last sequence) when the network does.
    const offline = () => {
      socket.disconnect();
      setState('offline');
    };
    const online = () => {
      setState('reconnecting');
      socket.connect();
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      socket.disconnect();
    };
  }, [queryClient]);

  return (
    <ConnectionContext.Provider value={state}>
      <AnnouncementContext.Provider value={announcement}>{children}</AnnouncementContext.Provider>
    </ConnectionContext.Provider>
  );
}
