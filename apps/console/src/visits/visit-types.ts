/**
 * Video visits as the API answers them (issue 20's contract). The generated schema replaces these
 * once the telehealth routes are in the OpenAPI document; until then they mirror the issue.
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

export type ParticipantRole = 'clinician' | 'coordinator' | 'patient' | 'guest';

export interface PatientLink {
  url: string;
  expiresAt: string;
}

export interface VisitParticipant {
  role: ParticipantRole;
  userId?: string | null;
  joinedAt: string;
  leftAt: string | null;
  seconds: number;
}

export interface VisitNote {
  id?: string;
  text: string;
  createdAt: string;
  authorUserId?: string | null;
}

export interface Visit {
  id: string;
  status: VisitStatus;
  patientId: string;
  alertId: string | null;
  roomName: string;
  scheduledFor: string | null;
  createdAt: string;
  startedAt?: string | null;
  endedAt?: string | null;
  durationSeconds?: number | null;
  participants?: VisitParticipant[];
  notes?: VisitNote[];
}

export interface CreatedVisit extends Visit {
  patientLink: PatientLink;
}

export interface VisitPage {
  items: Visit[];
}

/** What LiveKit needs to connect: its URL and a short-lived token for one room. */
export interface JoinGrant {
  url: string;
  token: string;
  expiresAt: string;
}

export interface PatientJoinGrant extends JoinGrant {
  visitId: string;
  roomName: string;
}
