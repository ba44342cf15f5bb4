/**
 * Video visits, defined once for the server, its SQL and the console.
 *
 * A visit is `scheduled` until someone joins; `waiting` while the patient is in the room and no
 * clinician or coordinator is; `in_progress` once both have been in the room together; then
 * `completed` (ended, or the room finished), `missed` (no patient VISIT_NO_SHOW_MINUTES after
 * the clinician joined or after `scheduledFor`) or `cancelled`.
 */
export const VISIT_STATUSES = [
  'scheduled',
  'waiting',
  'in_progress',
  'completed',
  'missed',
  'cancelled',
] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** States a visit never leaves. */
export const CLOSED_VISIT_STATUSES = [
  'completed',
  'missed',
  'cancelled',
] as const satisfies readonly VisitStatus[];

export function isClosedVisitStatus(status: VisitStatus): boolean {
  return (CLOSED_VISIT_STATUSES as readonly VisitStatus[]).includes(status);
}

/** Who a participant is: staff (clinician, coordinator) sign in; patients and guests join with a link. */
export const VISIT_PARTICIPANT_ROLES = ['clinician', 'coordinator', 'patient', 'guest'] as const;
export type VisitParticipantRole = (typeof VISIT_PARTICIPANT_ROLES)[number];

/** Kinds of one-time join link. */
export const VISIT_LINK_KINDS = ['patient', 'guest'] as const;
export type VisitLinkKind = (typeof VISIT_LINK_KINDS)[number];

/** Error codes the visit routes answer with, beside the platform's own. */
export const VISIT_ERROR_CODES = [
  'video_not_configured',
  'video_unavailable',
  'visit_closed',
  'link_not_found',
  'link_used',
  'link_expired',
  'invalid_signature',
] as const;
export type VisitErrorCode = (typeof VISIT_ERROR_CODES)[number];

/** A visit as lists and the `visit.updated` socket event carry it. */
export interface VisitSummary {
  id: string;
  organizationId: string;
  patientId: string;
  alertId: string | null;
  status: VisitStatus;
  roomName: string;
  scheduledFor: string | null;
  createdAt: string;
  createdBy: string;
  /** First join to the room. */
  startedAt: string | null;
  endedAt: string | null;
  /** From `startedAt` to `endedAt`; null until both are known. */
  durationSeconds: number | null;
  /** Whether any notes were written. */
  hasNotes: boolean;
}
