import type { Queryable } from '@homeward/platform';

export interface InvitationMail {
  organizationId: string;
  userId: string;
  url: string;
  expiresAt: Date;
}

/**
 * Sends an invitation link to the invited user. Identity sits below notifications, so the
 * notifications lib provides this (its outbox); the caller adds in its transaction and
 * dispatches after the commit.
 */
export abstract class InvitationMailer {
  /** Adds the email in `tx`; returns what `dispatch` sends once `tx` has committed. */
  abstract add(mail: InvitationMail, tx: Queryable): Promise<string[]>;
  abstract dispatch(ids: readonly string[]): Promise<void>;
}
