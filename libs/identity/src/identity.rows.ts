/** Row types of identity's tables, returned by its repositories. */
import type { UserRole } from '@homeward/contracts';

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
