import { Inject, Injectable } from '@nestjs/common';
import { escapeUnstorableText, type NotificationDto } from '@homeward/contracts';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, type Queryable } from '@homeward/platform';
import { NOTIFICATION_TRANSPORTS, type NotificationTransport } from './notification-transport';
import {
  NOTIFICATION_MAX_ATTEMPTS,
  NotificationJobs,
  notificationJobId,
  notificationRetryDelayMs,
} from './notification.jobs';
import type { NewNotificationRow, NotificationRow } from './notification.rows';
import { NotificationRepository } from './notification.repository';

/** A delivery attempt failed and will be retried: BullMQ's backoff schedules the next one. */
export class NotificationDeliveryError extends Error {
  constructor(
    readonly notificationId: string,
    readonly attempt: number,
    cause: string,
  ) {
    super(`Notification ${notificationId} attempt ${attempt} failed: ${cause}`);
    this.name = 'NotificationDeliveryError';
  }
}

function toDto(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    kind: row.kind,
    alertId: row.alertId,
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The outbox: notifications are added in the transaction of what causes them, then delivered by
 * the `notifications.deliver` job through the transport of their channel.
 * 1. The job locks the row and does nothing unless it is still pending, so a duplicated job
 *    delivers once (a crash after the transport accepted and before the commit delivers again:
 *    at least once, as any outbox without the transport's co-operation).
 * 2. Each attempt is recorded in `notification_deliveries`; a failure sets the next attempt
 *    (exponential backoff, the same as the job's) and is thrown so BullMQ retries.
 * 3. After NOTIFICATION_MAX_ATTEMPTS the row is `failed` and nothing retries it.
 * 4. The sweep re-enqueues pending rows whose next attempt is due: jobs Redis lost.
 */
@Injectable()
export class NotificationService {
  private readonly transports: Map<string, NotificationTransport>;

  constructor(
    private readonly db: Database,
    private readonly notifications: NotificationRepository,
    private readonly jobs: NotificationJobs,
    @Inject(NOTIFICATION_TRANSPORTS) transports: readonly NotificationTransport[],
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.transports = new Map(transports.map((transport) => [transport.channel, transport]));
  }

  /** Adds notifications in `tx`; hand the ids to `dispatch` once it has committed. */
  add(notifications: readonly NewNotificationRow[], tx: Queryable): Promise<string[]> {
    return this.notifications.insert(notifications, tx);
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

  /** One delivery attempt; throws NotificationDeliveryError when it failed and will be retried. */
  async deliver(id: string): Promise<void> {
    const failure = await this.db.transaction(async (tx) => {
      const row = await this.notifications.lockPending(id, tx);
      if (!row) return undefined;
      const attempt = row.attempts + 1;
      const transport = this.transports.get(row.channel);
      let error: string | null = null;
      try {
        if (!transport) throw new Error(`No transport for channel ${row.channel}`);
        await transport.send(toDto(row), { userId: row.recipientUserId, organizationId: row.organizationId });
      } catch (cause) {
        error = escapeUnstorableText(cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
      }
      const retryInMs =
        error === null || attempt >= NOTIFICATION_MAX_ATTEMPTS ? null : notificationRetryDelayMs(attempt);
      await this.notifications.recordAttempt(
        { notificationId: id, attempt, transport: transport?.name ?? 'none', error },
        retryInMs,
        tx,
      );
      this.logger.info(
        { notificationId: id, channel: row.channel, attempt, outcome: error === null ? 'sent' : 'failed' },
        error === null
          ? 'Notification delivered'
          : retryInMs === null
            ? 'Notification failed for good'
            : 'Notification attempt failed',
      );
      return error !== null && retryInMs !== null ? { attempt, error } : undefined;
    });
    if (failure) throw new NotificationDeliveryError(id, failure.attempt, failure.error);
  }

  /** Re-enqueues pending notifications whose next attempt is due. */
  async requeueDue(limit: number): Promise<number> {
    const due = await this.notifications.listDue(limit);
    await this.dispatch(due);
    if (due.length > 0) this.logger.info({ count: due.length }, 'Re-enqueued pending notifications');
    return due.length;
  }
}
