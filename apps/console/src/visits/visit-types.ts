/**
 * Video visits as the API answers them (issue 20's contract). The generated schema replaces these
 * once the telehealth routes are in the OpenAPI document; until then they mirror the issue.
 */
import type { VisitParticipantRole, VisitStatus, VisitSummary } from '@homeward/contracts';

export type { VisitStatus };
export type ParticipantRole = VisitParticipantRole;

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

/** A visit as `GET /api/visits/{id}` answers it: the summary, who was there, and the notes. */
export interface Visit extends Omit<VisitSummary, 'organizationId' | 'createdBy' | 'hasNotes'> {
  organizationId?: string;
  createdBy?: string;
  hasNotes?: boolean;
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
