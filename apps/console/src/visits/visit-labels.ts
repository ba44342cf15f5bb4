import type { VisitParticipantRole, VisitStatus } from '@homeward/contracts';

export const VISIT_STATUS_LABELS: Readonly<Record<VisitStatus, string>> = {
  scheduled: 'Scheduled',
  waiting: 'Patient is waiting',
  in_progress: 'In progress',
  completed: 'Completed',
  missed: 'Missed',
  cancelled: 'Cancelled',
};

export const PARTICIPANT_ROLE_LABELS: Readonly<Record<VisitParticipantRole, string>> = {
  clinician: 'Clinician',
  coordinator: 'Care coordinator',
  patient: 'Patient',
  guest: 'Guest',
};

/** A status the API may add later reads as itself rather than breaking the page. */
export function visitStatusLabel(status: string): string {
  return (VISIT_STATUS_LABELS as Record<string, string>)[status] ?? status.replace(/_/g, ' ');
}

/** Whether the visit can still be joined, ended or cancelled. */
export function isOpenVisit(status: string): boolean {
  return status === 'scheduled' || status === 'waiting' || status === 'in_progress';
}

/** "45 s", "12 min", "12 min 5 s", "1 h 3 min": how long a visit or a participant lasted. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** Why a patient's (or guest's) link did not open the visit, as the page explains it. */
export type LinkProblem =
  | 'used'
  | 'expired'
  | 'replaced'
  | 'visit_ended'
  | 'not_found'
  | 'not_configured'
  | 'rate_limited'
  | 'unavailable';

/** The API's machine-readable error code (`{ code: 'link_used' }`, else `error` or `message`). */
export function errorCode(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  for (const key of ['code', 'error', 'message'] as const) {
    const value: unknown = (body as Record<string, unknown>)[key];
    if (typeof value === 'string' && /^[a-z_]+$/.test(value)) return value;
  }
  return undefined;
}

/**
 * The page to show for a failed `POST /api/visits/join`: 410 `link_used` and `link_expired`,
 * 404 `link_not_found`, 503 `video_not_configured`; anything else is "try again later", never
 * the server's words.
 */
export function linkProblemOf(status: number, body: unknown): LinkProblem {
  const code = errorCode(body);
  if (code === 'link_used') return 'used';
  if (code === 'link_expired') {
    // The API says why a link stopped working: its time ran out, a newer one replaced it, or the visit ended.
    const reason: unknown =
      body && typeof body === 'object' ? (body as Record<string, unknown>).reason : undefined;
    if (reason === 'voided') return 'replaced';
    if (reason === 'visit_closed') return 'visit_ended';
    return 'expired';
  }
  if (code === 'link_not_found') return 'not_found';
  if (code === 'video_not_configured') return 'not_configured';
  if (status === 404) return 'not_found';
  if (status === 410) return 'expired';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return 'unavailable';
}

/** Whether an API answer says LiveKit is not configured on this server. */
export function isVideoNotConfigured(status: number, body: unknown): boolean {
  return status === 503 && errorCode(body) === 'video_not_configured';
}

/** A media device failure from livekit-client's `MediaDeviceFailure`, in words for the page. */
export function deviceFailureMessage(failure: string | undefined, kind: string | undefined): string {
  const device =
    kind === 'audioinput' ? 'microphone' : kind === 'videoinput' ? 'camera' : 'camera or microphone';
  if (failure === 'PermissionDenied')
    return `The browser was not allowed to use your ${device}. Allow it in the browser's site settings (the icon beside the address), then reload the page.`;
  if (failure === 'NotFound') return `No ${device} was found. Plug one in, or continue without it.`;
  if (failure === 'DeviceInUse')
    return `Your ${device} is in use by another application. Close it, then try again.`;
  return `Your ${device} could not be started. Check it is connected, then try again.`;
}

/** livekit-client's names for the failures of `getUserMedia` (DOMException names). */
export function deviceFailureOfError(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'PermissionDenied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'NotFound';
  if (name === 'NotReadableError' || name === 'AbortError') return 'DeviceInUse';
  return 'Other';
}

/**
 * A `datetime-local` value (the browser's local time, no zone) as the ISO instant the API takes,
 * or the problem to show: empty, unreadable, in the past, or more than a year ahead (the API's
 * bounds, said before the request).
 */
export function scheduledForFromLocal(local: string, now: Date): string | { problem: string } {
  if (!local) return { problem: 'choose a date and time.' };
  const at = new Date(local);
  if (Number.isNaN(at.getTime())) return { problem: 'that date and time could not be read.' };
  if (at.getTime() < now.getTime() - 60_000) return { problem: 'choose a time that has not passed.' };
  if (at.getTime() > now.getTime() + 365 * 24 * 3600_000) return { problem: 'choose a time within a year.' };
  return at.toISOString();
}
