import type { UserRole } from '@homeward/contracts';

/** The authenticated user a request or socket acts for. */
export interface Principal {
  userId: string;
  organizationId: string;
  role: UserRole;
  /** Correlates audit events and logs with the request or socket that caused them. */
  requestId?: string;
}
