import { useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AlertDto } from '@homeward/contracts';
import { api, unwrap } from '../api/client';
import { alertListKey, type AlertListFilter } from './alert-filters';
import { applyAlert, noteAlertsSeen, withRecentEvents, type AlertList } from './live-alerts';

/** The API's longest page; a queue longer than this is read newest first. */
const QUEUE_LIMIT = 1000;
const SNOOZE_RECHECK_MS = 5 * 60_000;

/**
 * A list the API filters; the socket keeps it current afterwards (see `applyAlert`), so it is
 * not refetched on focus or reconnect: a reconnect catches up through `auth.lastSequence`.
 */
export function useAlertList(filter: AlertListFilter, userId: string) {
  return useQuery({
    queryKey: alertListKey(filter, userId),
    queryFn: async (): Promise<AlertList> => {
      const list = await unwrap(
        api.GET('/api/alerts', {
          params: {
            query: {
              status: [...filter.statuses],
              ...(filter.severity ? { severity: filter.severity } : {}),
              ...(filter.assignedToMe ? { assignedTo: 'me' as const } : {}),
              limit: QUEUE_LIMIT,
            },
          },
        }),
      );
      noteAlertsSeen(list.items);
      return withRecentEvents(list, filter, userId);
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    // A snooze that ends sends no event: read the list again now and then to bring it back.
    refetchInterval: SNOOZE_RECHECK_MS,
  });
}

export function useAlertDetail(alertId: string | null) {
  return useQuery({
    queryKey: ['alerts', 'detail', alertId],
    queryFn: () => unwrap(api.GET('/api/alerts/{alertId}', { params: { path: { alertId: alertId! } } })),
    enabled: Boolean(alertId),
  });
}

export const patientKey = (patientId: string) => ['patients', 'detail', patientId] as const;

/** A patient's name and details; cached for the session (names change rarely). */
export function usePatient(patientId: string) {
  return useQuery({
    queryKey: patientKey(patientId),
    queryFn: () => unwrap(api.GET('/api/patients/{patientId}', { params: { path: { patientId } } })),
    staleTime: 10 * 60_000,
  });
}

export function useProtocols() {
  return useQuery({
    queryKey: ['protocols'],
    queryFn: () => unwrap(api.GET('/api/protocols')),
    staleTime: Infinity,
  });
}

/** Each patient's protocol keys, for the protocol filter: only fetched while it is in use. */
export function usePatientProtocols(patientIds: readonly string[], enabled: boolean) {
  return useQueries({
    queries: patientIds.map((patientId) => ({
      queryKey: ['patients', 'rules', patientId],
      queryFn: () => unwrap(api.GET('/api/patients/{patientId}/rules', { params: { path: { patientId } } })),
      staleTime: 5 * 60_000,
      enabled,
    })),
    combine: (results) => {
      const protocols = new Map<string, readonly string[]>();
      results.forEach((result, index) => {
        if (result.data) protocols.set(patientIds[index], result.data.protocols);
      });
      return { protocols, pending: results.some((result) => result.isPending && enabled) };
    },
  });
}

export function useColleagues() {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => unwrap(api.GET('/api/users', { params: { query: { limit: 500 } } })),
    // Admins are also listed disabled and invited users; work goes only to those who can act on it.
    select: (page) => ({
      ...page,
      items: page.items.filter((user) => !user.status || user.status === 'active'),
    }),
    staleTime: 5 * 60_000,
  });
}

export type AlertActionRequest =
  | { action: 'acknowledge' }
  | { action: 'escalate' }
  | { action: 'assign'; userId: string }
  | { action: 'note'; text: string }
  | { action: 'snooze'; until: string }
  | { action: 'resolve'; reason: string }
  | { action: 'dismiss'; reason: string };

function send(alertId: string, request: AlertActionRequest) {
  const path = { params: { path: { alertId } } };
  switch (request.action) {
    case 'acknowledge':
      return api.POST('/api/alerts/{alertId}/acknowledge', path);
    case 'escalate':
      return api.POST('/api/alerts/{alertId}/escalate', path);
    case 'assign':
      return api.POST('/api/alerts/{alertId}/assign', { ...path, body: { userId: request.userId } });
    case 'note':
      return api.POST('/api/alerts/{alertId}/notes', { ...path, body: { text: request.text } });
    case 'snooze':
      return api.POST('/api/alerts/{alertId}/snooze', { ...path, body: { until: request.until } });
    case 'resolve':
      return api.POST('/api/alerts/{alertId}/resolve', { ...path, body: { reason: request.reason } });
    case 'dismiss':
      return api.POST('/api/alerts/{alertId}/dismiss', { ...path, body: { reason: request.reason } });
  }
}

/** Sends an action outside any component (a held resolve), putting the answer into the lists. */
export async function sendAlertAction(
  queryClient: QueryClient,
  alertId: string,
  request: AlertActionRequest,
): Promise<void> {
  try {
    applyAlert(queryClient, await unwrap<AlertDto>(send(alertId, request)));
  } finally {
    void queryClient.invalidateQueries({ queryKey: ['alerts', 'detail', alertId] });
  }
}

/** An action on an alert; the answer (the alert as it now is) goes straight into the lists. */
export function useAlertAction(alertId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: AlertActionRequest) => unwrap<AlertDto>(send(alertId, request)),
    onSuccess: (alert) => applyAlert(queryClient, alert),
    // Someone else acted first (409): show the alert as it now is.
    onError: () => queryClient.invalidateQueries({ queryKey: ['alerts', 'detail', alertId] }),
  });
}
