import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { sessionStore } from '../auth/session-store';
import type { CreatedVisit, JoinGrant, PatientJoinGrant, PatientLink, Visit, VisitPage } from './visit-types';

/**
 * The telehealth routes, called with the session's token as the typed client calls the others.
 * They go through here (not `api`) until the generated schema carries them.
 */
async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signedIn = true): Promise<T> {
  const headers = new Headers({ Accept: 'application/json' });
  const token = signedIn ? sessionStore.token() : null;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  const response = await fetch(new URL(path, window.location.origin), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page: keep the status, drop the body.
  }
  if (!response.ok) {
    if (response.status === 401 && signedIn) sessionStore.expire();
    const message =
      parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string'
        ? parsed.message
        : `The server answered ${response.status}`;
    throw new ApiError(response.status, message, parsed);
  }
  return parsed as T;
}

const visitPath = (visitId: string, action = '') =>
  `/api/visits/${encodeURIComponent(visitId)}${action ? `/${action}` : ''}`;

export const visitKeys = {
  all: ['visits'] as const,
  detail: (visitId: string) => ['visits', 'detail', visitId] as const,
  list: (query: VisitListQuery) => ['visits', 'list', query] as const,
};

export interface VisitListQuery {
  patientId?: string;
  alertId?: string;
  status?: string;
}

const VISITS_LIMIT = 50;

export function useVisits(query: VisitListQuery) {
  return useQuery({
    queryKey: visitKeys.list(query),
    queryFn: () => {
      const params = new URLSearchParams({ limit: String(VISITS_LIMIT) });
      for (const [key, value] of Object.entries(query) as Array<[string, string | undefined]>)
        if (value) params.set(key, value);
      return request<VisitPage>('GET', `/api/visits?${params.toString()}`);
    },
  });
}

export function useVisit(visitId: string) {
  return useQuery({
    queryKey: visitKeys.detail(visitId),
    queryFn: () => request<Visit>('GET', visitPath(visitId)),
  });
}

export function useCreateVisit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { patientId: string; alertId?: string; scheduledFor?: string }) =>
      request<CreatedVisit>('POST', '/api/visits', body),
    onSuccess: (visit) => {
      queryClient.setQueryData(visitKeys.detail(visit.id), visit);
      void queryClient.invalidateQueries({ queryKey: ['visits', 'list'] });
      // The alert's history gains a `video_visit` event.
      if (visit.alertId)
        void queryClient.invalidateQueries({ queryKey: ['alerts', 'detail', visit.alertId] });
    },
  });
}

/** End, cancel or note a visit; the answer (or a re-read) replaces what the page shows. */
export function useVisitAction(visitId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: { kind: 'end' } | { kind: 'cancel' } | { kind: 'note'; text: string }) =>
      request<unknown>(
        'POST',
        visitPath(visitId, action.kind === 'note' ? 'notes' : action.kind),
        action.kind === 'note' ? { text: action.text } : undefined,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: visitKeys.all }),
  });
}

export function useNewPatientLink(visitId: string) {
  return useMutation({ mutationFn: () => request<PatientLink>('POST', visitPath(visitId, 'patient-link')) });
}

export function joinVisit(visitId: string): Promise<JoinGrant> {
  return request<JoinGrant>('POST', visitPath(visitId, 'join'));
}

/** The public exchange of a patient's (or guest's) one-time code; no session is sent. */
export function joinWithCode(code: string): Promise<PatientJoinGrant> {
  return request<PatientJoinGrant>('POST', '/api/visits/join', { code }, false);
}
