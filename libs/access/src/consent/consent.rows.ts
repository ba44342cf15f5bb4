import type { ConsentMethod, ConsentScope, ConsentStatus } from '@homeward/contracts';

export interface ConsentRow {
  id: string;
  organizationId: string;
  patientId: string;
  scope: ConsentScope;
  status: ConsentStatus;
  method: ConsentMethod;
  givenAt: Date;
  recordedBy: string | null;
  recordedAt: Date;
  documentReference: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
}
