import type { VisitLinkKind, VisitParticipantRole, VisitStatus } from '@homeward/contracts';

export interface VisitRow {
  id: string;
  organizationId: string;
  patientId: string;
  alertId: string | null;
  createdBy: string;
  roomName: string;
  status: VisitStatus;
  scheduledFor: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  staffJoinedAt: Date | null;
  notes: string | null;
  notesUpdatedAt: Date | null;
  notesUpdatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewVisitRow {
  id: string;
  organizationId: string;
  patientId: string;
  alertId: string | null;
  createdBy: string;
  roomName: string;
  scheduledFor: Date | null;
}

export interface VisitParticipantRow {
  id: string;
  visitId: string;
  identity: string;
  role: VisitParticipantRole;
  userId: string | null;
  label: string | null;
  joinedAt: Date | null;
  leftAt: Date | null;
  seconds: number;
}

/** One connection of a participant, as LiveKit's webhooks report it. */
export interface VisitSessionRow {
  sid: string;
  participantId: string;
  role: VisitParticipantRole;
  joinedAt: Date | null;
  leftAt: Date | null;
}

export interface VisitLinkRow {
  id: string;
  visitId: string;
  kind: VisitLinkKind;
  label: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  voidedAt: Date | null;
}
