/** Row types returned by the repositories: the db lib's own shapes, never HTTP DTOs. */
import type { AlertStatus, Severity, UserRole } from '@homeward/contracts';

export type { UserRole };

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
}

export interface UserRow {
  id: string;
  organizationId: string;
  email: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  disabledAt: Date | null;
}

export interface PatientRow {
  id: string;
  organizationId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  createdAt: Date;
}

export interface DeviceRow {
  id: string;
  organizationId: string;
  patientId: string;
  kind: string;
  label: string | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface DeviceCredentialRow {
  id: string;
  secretHash: Buffer;
  revokedAt: Date | null;
}

export interface DeviceRouteRow {
  id: string;
  patientId: string;
  organizationId: string;
}

export interface NewReadingRow {
  measuredAt: Date;
  patientId: string;
  deviceId: string;
  messageId: string;
  type: string;
  loinc: string;
  value: number;
  unit: string;
  sourceValue: number;
  sourceUnit: string;
}

export interface ReadingRow extends NewReadingRow {
  batchId: string;
  receivedAt: Date;
}

export interface BatchReadingRow extends ReadingRow {
  organizationId: string;
}

export interface NewDeviceMessageRow {
  deviceId: string;
  messageId: string;
  contentHash: Buffer;
  measuredAt: Date;
}

export interface DeviceMessageKey {
  deviceId: string;
  messageId: string;
}

export interface DeviceMessageHashRow extends DeviceMessageKey {
  /** Null for messages stored before the ledger existed. */
  contentHash: Buffer | null;
}

export interface NewRejectionRow {
  topic: string;
  deviceRef: string | null;
  messageId: string | null;
  reason: string;
  detail: string;
  payloadBytes: number;
  payloadExcerpt: string;
}

export interface IngestBatchRow {
  id: string;
  correlationId: string;
  createdAt: Date;
  enqueuedAt: Date | null;
  evaluatedAt: Date | null;
}

export interface NewAlertRow {
  organizationId: string;
  patientId: string;
  ruleId: string;
  ruleKind: string;
  ruleDescription: string;
  severity: Severity;
  triggerType: string;
  triggerValue: number;
  triggerUnit: string;
  triggerMeasuredAt: Date;
  triggerDeviceId: string;
  triggerMessageId: string;
  batchId: string;
  correlationId: string;
}

export interface AlertRow extends NewAlertRow {
  id: string;
  sequence: string;
  status: AlertStatus;
  createdAt: Date;
}

export interface NewAuditEventRow {
  organizationId: string;
  actorUserId: string;
  actorRole: UserRole;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patientId: string | null;
  outcome: 'allowed' | 'denied';
  requestId: string | null;
}
