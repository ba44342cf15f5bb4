import { Injectable } from '@nestjs/common';
import { InvitationMailer, type InvitationMail } from '@homeward/identity';
import type { Queryable } from '@homeward/platform';
import { NotificationService } from '../outbox/notification.service';

/**
 * Invitation emails through the outbox. The row holds the link only until it is settled (the
 * email must carry it; delivery then forgets it); the invitation is stored as its code's hash.
 */
@Injectable()
export class OutboxInvitationMailer extends InvitationMailer {
  constructor(private readonly notifications: NotificationService) {
    super();
  }

  add(mail: InvitationMail, tx: Queryable): Promise<string[]> {
    return this.notifications.notifyByEmail(
      {
        organizationId: mail.organizationId,
        userId: mail.userId,
        kind: 'user.invited',
        alertId: null,
        payload: { invitationUrl: mail.url, invitationExpiresAt: mail.expiresAt.toISOString() },
      },
      tx,
    );
  }

  dispatch(ids: readonly string[]): Promise<void> {
    return this.notifications.dispatch(ids);
  }
}
