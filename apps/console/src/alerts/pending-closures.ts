import { useSyncExternalStore } from 'react';
import { sessionStore } from '../auth/session-store';

/** How long a resolve or dismiss can be undone before it is sent. */
export const UNDO_WINDOW_MS = 8_000;

export type ClosingAction = 'resolve' | 'dismiss';

export interface PendingClosure {
  alertId: string;
  action: ClosingAction;
  reason: string;
  /** Set when the action was sent and refused (someone acted first, the session ended). */
  error: string | null;
}

interface Entry extends PendingClosure {
  timer: ReturnType<typeof setTimeout> | null;
  commit: () => Promise<void>;
}

/*
 * Closing an alert cannot be taken back on the server (the lifecycle has no way out of resolved
 * or dismissed for people), so Undo holds the action here and sends it when the window ends:
 * 1. The store lives outside React, so closing the details or changing page keeps the countdown.
 * 2. When the tab is hidden for good (`pagehide`: closed, reloaded, navigated away), every held
 *    action is sent at once with `fetch(keepalive)`, which outlives the page and, unlike
 *    `navigator.sendBeacon`, carries the Authorization header the API needs.
 */
const entries = new Map<string, Entry>();
let snapshot: readonly PendingClosure[] = [];
const listeners = new Set<() => void>();

function changed() {
  snapshot = [...entries.values()].map(({ alertId, action, reason, error }) => ({
    alertId,
    action,
    reason,
    error,
  }));
  for (const listener of listeners) listener();
}

/** Holds `action` on the alert for the undo window, then runs `commit` (which sends it). */
export function closeAfterUndoWindow(
  alertId: string,
  action: ClosingAction,
  reason: string,
  commit: () => Promise<void>,
): void {
  const entry: Entry = { alertId, action, reason, error: null, timer: null, commit };
  entry.timer = setTimeout(() => void send(entry), UNDO_WINDOW_MS);
  entries.set(alertId, entry);
  changed();
}

async function send(entry: Entry) {
  entry.timer = null;
  try {
    await entry.commit();
    if (entries.get(entry.alertId) === entry) entries.delete(entry.alertId);
  } catch (error) {
    entry.error = error instanceof Error ? error.message : String(error);
  }
  changed();
}

/** Cancels a held action; false when it was already sent. */
export function undoClosure(alertId: string): boolean {
  const entry = entries.get(alertId);
  if (!entry?.timer) return false;
  clearTimeout(entry.timer);
  entries.delete(alertId);
  changed();
  return true;
}

/** Forgets a refused action once its error has been read. */
export function dismissClosureError(alertId: string): void {
  if (entries.get(alertId)?.error !== null && entries.delete(alertId)) changed();
}

/** Sends every held action now, with requests that survive the page being unloaded. */
export function flushClosures(): void {
  const token = sessionStore.token();
  for (const entry of entries.values()) {
    if (!entry.timer) continue;
    clearTimeout(entry.timer);
    entry.timer = null;
    void fetch(`/api/alerts/${encodeURIComponent(entry.alertId)}/${entry.action}`, {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ reason: entry.reason }),
    });
  }
  entries.clear();
  changed();
}

if (typeof window !== 'undefined') window.addEventListener('pagehide', flushClosures);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The resolves and dismisses being held (or refused), for the queue and its status message. */
export function usePendingClosures(): readonly PendingClosure[] {
  return useSyncExternalStore(subscribe, () => snapshot);
}
