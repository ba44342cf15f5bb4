import type { Queryable } from '@homeward/platform';

/** What the patient's care team is told when someone outside it breaks the glass. */
export interface BreakGlassAnnouncement {
  organizationId: string;
  patientId: string;
  grantId: string;
  userId: string;
  userName: string;
  reason: string;
  expiresAt: Date;
  /** The members of the patient's care teams, the one who broke the glass left out. */
  recipientUserIds: readonly string[];
}

/**
 * Tells a patient's care team about a break-glass grant. Access sits below notifications, so it
 * names only this contract; the notification outbox provides it to the whole process (as it
 * provides identity's invitation mailer).
 */
export abstract class BreakGlassAnnouncer {
  /** Adds the notifications in `tx`, the grant's transaction; returns what `dispatch` takes after the commit. */
  abstract add(announcement: BreakGlassAnnouncement, tx: Queryable): Promise<string[]>;
  abstract dispatch(ids: readonly string[]): Promise<void>;
}
