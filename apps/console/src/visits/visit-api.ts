import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import createClient from 'openapi-fetch';
import type { VisitStatus } from '@homeward/contracts';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import type { VisitSummary } from './visit-types';

export const visitKeys = {
  all: ['visits'] as const,
  config: ['visits', 'config'] as const,
  detail: (visitId: string) => ['visits', 'detail', visitId] as const,
  list: (query: VisitListQuery) => ['visits', 'list', query] as const,
};

export interface VisitListQuery {
  patientId?: string;
  alertId?: string;
  status?: VisitStatus;
}

const VISITS_LIMIT = 50;

/** Whether LiveKit is configured on this server: without it no visit can start. */
export function useVideoConfig() {
  return useQuery({
    queryKey: visitKeys.config,
    queryFn: () => unwrap(api.GET('/api/visits/config')),
    staleTime: 5 * 60_000,
  });
}

/** Visits of a patient or an alert; not asked while video is not configured (every route answers 503). */
export function useVisits(query: VisitListQuery, enabled = true) {
  return useQuery({
    queryKey: visitKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/visits', { params: { query: { ...query, limit: VISITS_LIMIT } } })),
    enabled,
  });
}

export function useVisit(visitId: string, enabled = true) {
  return useQuery({
    queryKey: visitKeys.detail(visitId),
    queryFn: () => unwrap(api.GET('/api/visits/{visitId}', { params: { path: { visitId } } })),
    enabled,
  });
}

function afterChange(queryClient: ReturnType<typeof useQueryClient>, visit: Pick<VisitSummary, 'alertId'>) {
  void queryClient.invalidateQueries({ queryKey: visitKeys.all });
  // The alert's history gains (or shows) the visit's events.
  if (visit.alertId) void queryClient.invalidateQueries({ queryKey: ['alerts', 'detail', visit.alertId] });
}

export function useCreateVisit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { patientId: string; alertId?: string; scheduledFor?: string }) =>
      unwrap(api.POST('/api/visits', { body })),
    onSuccess: (visit) => afterChange(queryClient, visit),
  });
}

export type VisitAction = { kind: 'end' } | { kind: 'cancel' } | { kind: 'notes'; text: string };

function sendVisitAction(visitId: string, action: VisitAction) {
  const path = { params: { path: { visitId } } };
  switch (action.kind) {
    case 'end':
      return unwrap(api.POST('/api/visits/{visitId}/end', path));
    case 'cancel':
      return unwrap(api.POST('/api/visits/{visitId}/cancel', path));
    case 'notes':
      return unwrap(api.POST('/api/visits/{visitId}/notes', { ...path, body: { text: action.text } }));
  }
}

/** End, cancel or write the notes of a visit; the lists and the page read it again. */
export function useVisitAction(visitId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: VisitAction) => sendVisitAction(visitId, action),
    onSuccess: (visit) => afterChange(queryClient, visit),
    // Someone else ended it first (409): show it as it now is.
    onError: () => queryClient.invalidateQueries({ queryKey: visitKeys.detail(visitId) }),
  });
}

export function useNewPatientLink(visitId: string) {
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/visits/{visitId}/patient-link', { params: { path: { visitId } } })),
  });
}

export function joinVisit(visitId: string) {
  return unwrap(api.POST('/api/visits/{visitId}/join', { params: { path: { visitId } } }));
}

/** Without the console's session: a patient has none, and a clinician testing a link must not send theirs. */
const publicApi = createClient<paths>({ baseUrl: window.location.origin });

/** The public exchange of a patient's (or guest's) one-time code for a LiveKit token. */
export function joinWithCode(code: string) {
  return unwrap(publicApi.POST('/api/visits/join', { body: { code } }));
}
