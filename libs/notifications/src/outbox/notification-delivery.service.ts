import { Inject, Injectable } from '@nestjs/common';
import { escapeUnstorableText, type NotificationDto } from '@homeward/contracts';
import { UserService } from '@homeward/identity';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, type Queryable } from '@homeward/platform';
import { NotificationPreferencesRepository } from '../preferences/notification-preferences.repository';
import {
  NOTIFICATION_TRANSPORTS,
  NotificationTransportError,
  type NotificationTransport,
} from './notification-transport';
import { NOTIFICATION_MAX_ATTEMPTS, notificationRetryDelayMs } from './notification.jobs';
import type { NotificationRow } from './notification.rows';
import { NotificationRepository } from './notification.repository';
import { NotificationService } from './notification.service';

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

interface Outcome {
  error: string | null;
  retryInMs: number | null;
  fallback: string[];
  attempt: number;
}

/**
 * Delivers one outbox row through the transport of its channel:
 * 1. the job locks the row and does nothing unless it is still pending, so a duplicated job
 *    delivers once (a crash after the transport accepted and before the commit delivers again:
 *    at least once, as any outbox without the transport's co-operation);
 * 2. the address is read at delivery (the user's email, their phone number), so a corrected
 *    number applies to the next attempt; each attempt is recorded with it in
 *    `notification_deliveries`, with the provider's message id;
 * 3. a failure sets the next attempt (exponential backoff, as the job's) and is thrown so BullMQ
 *    retries; a permanent one, or the last of NOTIFICATION_MAX_ATTEMPTS, fails the row for good
 *    and, in the same transaction, hands over to the user's next channel.
 */
@Injectable()
export class NotificationDeliveryService {
  private readonly transports: Map<string, NotificationTransport>;

  constructor(
    private readonly db: Database,
    private readonly notifications: NotificationRepository,
    private readonly outbox: NotificationService,
    private readonly preferences: NotificationPreferencesRepository,
    private readonly users: UserService,
    @Inject(NOTIFICATION_TRANSPORTS) transports: readonly NotificationTransport[],
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.transports = new Map(transports.map((transport) => [transport.channel, transport]));
  }

  /** One delivery attempt; throws NotificationDeliveryError when it failed and will be retried. */
  async deliver(id: string): Promise<void> {
    const outcome = await this.db.transaction(async (tx): Promise<Outcome | undefined> => {
      const row = await this.notifications.lockPending(id, tx);
      if (!row) return undefined;
      const attempt = row.attempts + 1;
      const transport = this.transports.get(row.channel);
      let address: string | null = null;
      let providerMessageId: string | null = null;
      let error: string | null = null;
      let permanent = false;
      try {
        if (!transport) throw new NotificationTransportError(`No transport for channel ${row.channel}`, true);
        address = await this.addressOf(row, tx);
        const recipient = { userId: row.recipientUserId, organizationId: row.organizationId, address };
        providerMessageId = (await transport.send(toDto(row), recipient))?.providerMessageId ?? null;
      } catch (cause) {
        error = escapeUnstorableText(cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
        permanent = cause instanceof NotificationTransportError && cause.permanent;
      }
      const retryInMs =
        error === null || permanent || attempt >= NOTIFICATION_MAX_ATTEMPTS
          ? null
          : notificationRetryDelayMs(attempt);
      await this.notifications.recordAttempt(
        {
          notificationId: id,
          attempt,
          transport: transport?.name ?? 'none',
          error,
          address,
          providerMessageId,
        },
        retryInMs,
        tx,
      );
      const fallback = error !== null && retryInMs === null ? await this.outbox.fallBack(row, tx) : [];
      if (retryInMs === null) await this.notifications.forgetInvitationLink(id, tx);
      this.logger.info(
        { notificationId: id, channel: row.channel, attempt, outcome: error === null ? 'sent' : 'failed' },
        error === null
          ? 'Notification delivered'
          : retryInMs === null
            ? 'Notification failed for good'
            : 'Notification attempt failed',
      );
      return { error, retryInMs, fallback, attempt };
    });
    if (!outcome) return;
    await this.outbox.dispatch(outcome.fallback);
    if (outcome.error !== null && outcome.retryInMs !== null)
      throw new NotificationDeliveryError(id, outcome.attempt, outcome.error);
  }

  /** The user's address on the row's channel, read now; a disabled user has none. */
  private async addressOf(row: NotificationRow, tx: Queryable): Promise<string | null> {
    if (row.channel === 'socket') return null;
    const user = await this.users.findActive({
      organizationId: row.organizationId,
      userId: row.recipientUserId,
    });
    if (!user) throw new NotificationTransportError('Recipient is no longer an active user', true);
    if (row.channel === 'email') return user.email;
    const phone = (await this.preferences.find(row.recipientUserId, tx))?.phone;
    if (!phone) throw new NotificationTransportError('Recipient has no phone number', true);
    return phone;
  }
}
