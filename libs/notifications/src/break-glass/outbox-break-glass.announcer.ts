import { Injectable } from '@nestjs/common';
import { BreakGlassAnnouncer, type BreakGlassAnnouncement } from '@homeward/access';
import type { Queryable } from '@homeward/platform';
import { NotificationService } from '../outbox/notification.service';

/**
 * Break-glass announcements through the outbox: one `patient.break_glass` notification per care
 * team member, on their channels. The socket's payload says who, why and until when; email and SMS
 * render only that it happened and the patient's link (`renderNotification`).
 */
@Injectable()
export class OutboxBreakGlassAnnouncer extends BreakGlassAnnouncer {
  constructor(private readonly notifications: NotificationService) {
    super();
  }

  async add(announcement: BreakGlassAnnouncement, tx: Queryable): Promise<string[]> {
    if (announcement.recipientUserIds.length === 0) return [];
    return this.notifications.notify(
      {
        organizationId: announcement.organizationId,
        userIds: announcement.recipientUserIds,
        kind: 'patient.break_glass',
        alertId: null,
        payload: {
          patientId: announcement.patientId,
          breakGlass: {
            grantId: announcement.grantId,
            userId: announcement.userId,
            userName: announcement.userName,
            reason: announcement.reason,
            expiresAt: announcement.expiresAt.toISOString(),
          },
        },
      },
      tx,
    );
  }

  dispatch(ids: readonly string[]): Promise<void> {
    return this.notifications.dispatch(ids);
  }
}
