import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { NotificationDto, NotificationKind } from '@homeward/contracts';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, type Queryable } from '@homeward/platform';
import { NotificationPreferencesRepository } from '../preferences/notification-preferences.repository';
import { fallbackChannel, initialChannels } from './channel-plan';
import { NotificationJobs, notificationJobId } from './notification.jobs';
import type { NewNotificationRow, NotificationRow, SmsRecipientRow } from './notification.rows';
import { NotificationRepository } from './notification.repository';

/** What happened, for whom: each user gets it on their channels (`initialChannels`). */
export interface NotificationRequest {
  organizationId: string;
  userIds: readonly string[];
  kind: NotificationKind;
  alertId: string | null;
  payload: NotificationDto['payload'];
}

/** Twilio's final message statuses (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values). */
const DELIVERED = new Set(['delivered', 'read']);
const UNDELIVERED = new Set(['failed', 'undelivered']);

/** How long after an SMS a reply from its number still answers it. */
export const SMS_REPLY_WITHIN_SECONDS = 24 * 3600;

/**
 * The outbox: notifications are added in the transaction of what causes them, one group per user
 * and event over the user's channels, and delivered after the commit by the
 * `notifications.deliver` job (`NotificationDeliveryService`). A channel that fails for good, after
 * its retries or by the provider's status callback, hands over to the user's next channel.
 */
@Injectable()
export class NotificationService {
  constructor(
    private readonly db: Database,
    private readonly notifications: NotificationRepository,
    private readonly preferences: NotificationPreferencesRepository,
    private readonly jobs: NotificationJobs,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Adds each user's notifications in `tx`; hand the ids to `dispatch` once it has committed. */
  async notify(request: NotificationRequest, tx: Queryable): Promise<string[]> {
    const preferences = new Map(
      (await this.preferences.list(request.userIds, tx)).map((row) => [row.userId, row]),
    );
    const rows: NewNotificationRow[] = request.userIds.flatMap((userId) => {
      const groupId = randomUUID();
      const channels = initialChannels({
        enabled: this.config.NOTIFICATION_CHANNELS,
        preferences: preferences.get(userId),
      });
      return channels.map((channel) => ({
        organizationId: request.organizationId,
        recipientUserId: userId,
        channel,
        kind: request.kind,
        alertId: request.alertId,
        payload: request.payload,
        groupId,
      }));
    });
    return this.notifications.insert(rows, tx);
  }

  /** Adds, in `tx`, an email to one user whatever their preferences (an invitation has no other channel). */
  async notifyByEmail(
    request: Omit<NotificationRequest, 'userIds'> & { userId: string },
    tx: Queryable,
  ): Promise<string[]> {
    return this.notifications.insert(
      [
        {
          organizationId: request.organizationId,
          recipientUserId: request.userId,
          channel: 'email',
          kind: request.kind,
          alertId: request.alertId,
          payload: request.payload,
          groupId: randomUUID(),
        },
      ],
      tx,
    );
  }

  /** Enqueues the delivery of committed notifications; what fails here the sweep re-enqueues. */
  async dispatch(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      try {
        await this.jobs.enqueue('notifications.deliver', { notificationId: id }, notificationJobId(id));
      } catch (error) {
        this.logger.warn({ err: error, notificationId: id }, 'Notification not enqueued; the sweep retries');
      }
    }
  }

  /**
   * Adds, in `tx`, the notification that takes over from `failed` on the user's next channel its
   * group has not tried; returns its id (none when every channel was tried).
   */
  async fallBack(failed: NotificationRow, tx: Queryable): Promise<string[]> {
    if (failed.channel === 'socket') return [];
    const tried = new Set(
      failed.groupId ? await this.notifications.listGroupChannels(failed.groupId, tx) : [failed.channel],
    );
    const next = fallbackChannel(
      {
        enabled: this.config.NOTIFICATION_CHANNELS,
        preferences: await this.preferences.find(failed.recipientUserId, tx),
      },
      tried,
    );
    const fields = { notificationId: failed.id, userId: failed.recipientUserId, failed: failed.channel };
    if (!next) {
      this.logger.warn(fields, 'Notification failed and no channel is left to fall back to');
      return [];
    }
    this.logger.info({ ...fields, next }, 'Notification falls back to the next channel');
    return this.notifications.insert(
      [
        {
          organizationId: failed.organizationId,
          recipientUserId: failed.recipientUserId,
          channel: next,
          kind: failed.kind,
          alertId: failed.alertId,
          payload: failed.payload,
          groupId: failed.groupId ?? randomUUID(),
        },
      ],
      tx,
    );
  }

  /**
   * A provider's delivery status for a message it took: recorded on the attempt; `delivered`
   * settles the notification; `failed`/`undelivered` fails it and falls back to the next channel.
   * Idempotent: a repeated or late callback finds the notification settled and changes nothing.
   */
  async recordProviderStatus(update: {
    providerMessageId: string;
    status: string;
    error: string | null;
  }): Promise<void> {
    const fallback = await this.db.transaction(async (tx) => {
      const row = await this.notifications.recordProviderStatus(update, tx);
      if (!row) {
        this.logger.warn(
          { providerMessageId: update.providerMessageId },
          'Status callback for an unknown message',
        );
        return [];
      }
      const fields = {
        notificationId: row.id,
        channel: row.channel,
        status: update.status,
        error: update.error,
      };
      if (DELIVERED.has(update.status) && (await this.notifications.settleSent(row.id, 'delivered', tx)))
        this.logger.info(fields, 'Notification delivered to the recipient');
      if (UNDELIVERED.has(update.status) && (await this.notifications.settleSent(row.id, 'failed', tx))) {
        this.logger.warn(fields, 'Notification not delivered by the provider');
        return this.fallBack(row, tx);
      }
      return [];
    });
    await this.dispatch(fallback);
  }

  /** The user and alert of the latest SMS sent to `phone` that a reply may still answer. */
  latestSmsRecipient(phone: string): Promise<SmsRecipientRow | undefined> {
    return this.notifications.findLatestSmsRecipient(phone, SMS_REPLY_WITHIN_SECONDS);
  }

  /** Re-enqueues pending notifications whose next attempt is due. */
  async requeueDue(limit: number): Promise<number> {
    const due = await this.notifications.listDue(limit);
    await this.dispatch(due);
    if (due.length > 0) this.logger.info({ count: due.length }, 'Re-enqueued pending notifications');
    return due.length;
  }
}
