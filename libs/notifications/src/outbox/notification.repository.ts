import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type {
  NewNotificationRow,
  NotificationChannel,
  NotificationDeliveryRow,
  NotificationRow,
  SmsRecipientRow,
} from './notification.rows';

const COLUMNS = `id, organization_id AS "organizationId", recipient_user_id AS "recipientUserId", channel, kind,
  alert_id AS "alertId", payload, group_id AS "groupId", status, attempts, next_attempt_at AS "nextAttemptAt",
  created_at AS "createdAt", sent_at AS "sentAt"`;

/** A delivery attempt as the job records it. */
export interface DeliveryAttempt {
  notificationId: string;
  attempt: number;
  transport: string;
  error: string | null;
  address: string | null;
  providerMessageId: string | null;
}

/** The notification outbox and the record of each delivery attempt. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly db: Database) {}

  /** Adds notifications in the caller's transaction; returns their ids. */
  async insert(notifications: readonly NewNotificationRow[], q: Queryable): Promise<string[]> {
    if (notifications.length === 0) return [];
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO notification_outbox (organization_id, recipient_user_id, channel, kind, alert_id, payload, group_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[], $7::uuid[])
       RETURNING id`,
      [
        notifications.map((n) => n.organizationId),
        notifications.map((n) => n.recipientUserId),
        notifications.map((n) => n.channel),
        notifications.map((n) => n.kind),
        notifications.map((n) => n.alertId),
        notifications.map((n) => JSON.stringify(n.payload)),
        notifications.map((n) => n.groupId),
      ],
    );
    return rows.map((row) => row.id);
  }

  /** The notification if it still waits for delivery, locked: two runs of its job deliver once. */
  async lockPending(id: string, q: Queryable): Promise<NotificationRow | undefined> {
    const { rows } = await q.query<NotificationRow>(
      `SELECT ${COLUMNS} FROM notification_outbox WHERE id = $1 AND status = 'pending' FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  /**
   * Records one attempt and its outcome on the notification: sent, or failed with the next
   * attempt `retryInMs` from now, or failed for good when `retryInMs` is null.
   */
  async recordAttempt(attempt: DeliveryAttempt, retryInMs: number | null, q: Queryable): Promise<void> {
    await q.query(
      `INSERT INTO notification_deliveries (notification_id, attempt, transport, outcome, error, address, provider_message_id)
       VALUES ($1, $2, $3, CASE WHEN $4::text IS NULL THEN 'sent' ELSE 'failed' END, $4, $5, $6)`,
      [
        attempt.notificationId,
        attempt.attempt,
        attempt.transport,
        attempt.error,
        attempt.address,
        attempt.providerMessageId,
      ],
    );
    await q.query(
      `UPDATE notification_outbox SET attempts = $2,
              status = CASE WHEN $3::text IS NULL THEN 'sent' WHEN $4::float8 IS NULL THEN 'failed' ELSE 'pending' END,
              sent_at = CASE WHEN $3::text IS NULL THEN now() ELSE sent_at END,
              next_attempt_at = CASE WHEN $4::float8 IS NULL THEN next_attempt_at
                                     ELSE now() + make_interval(secs => $4::float8 / 1000) END
       WHERE id = $1`,
      [attempt.notificationId, attempt.attempt, attempt.error, retryInMs],
    );
  }

  /**
   * Records the provider's status on the attempt it names and returns that attempt's
   * notification, locked; undefined for an id no attempt has.
   */
  async recordProviderStatus(
    update: { providerMessageId: string; status: string; error: string | null },
    q: Queryable,
  ): Promise<NotificationRow | undefined> {
    const { rows } = await q.query<NotificationRow>(
      `WITH attempt AS (
         UPDATE notification_deliveries
         SET provider_status = $2, provider_error = $3, provider_status_at = now()
         WHERE provider_message_id = $1 RETURNING notification_id)
       SELECT ${COLUMNS} FROM notification_outbox WHERE id = (SELECT notification_id FROM attempt) FOR UPDATE`,
      [update.providerMessageId, update.status, update.error],
    );
    return rows[0];
  }

  /** Moves a handed-over notification on: `delivered`, or `failed` when the provider could not deliver it. */
  /**
   * Forgets the one-time link an invitation email carried, once the row is settled (sent, or
   * failed for good after handing over): only the user's mailbox keeps it.
   */
  async forgetInvitationLink(id: string, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE notification_outbox SET payload = payload - 'invitationUrl' WHERE id = $1 AND payload ? 'invitationUrl'`,
      [id],
    );
  }

  async settleSent(id: string, status: 'delivered' | 'failed', q: Queryable): Promise<boolean> {
    const { rowCount } = await q.query(
      `UPDATE notification_outbox SET status = $2 WHERE id = $1 AND status = 'sent'`,
      [id, status],
    );
    return rowCount === 1;
  }

  /** The channels a group has tried (pending, sent or failed). */
  async listGroupChannels(groupId: string, q: Queryable): Promise<NotificationChannel[]> {
    const { rows } = await q.query<{ channel: NotificationChannel }>(
      'SELECT DISTINCT channel FROM notification_outbox WHERE group_id = $1',
      [groupId],
    );
    return rows.map((row) => row.channel);
  }

  /**
   * The latest alert SMS handed over to `phone` within `withinSeconds`, if the number still
   * belongs to the user it went to.
   */
  async findLatestSmsRecipient(phone: string, withinSeconds: number): Promise<SmsRecipientRow | undefined> {
    const { rows } = await this.db.query<SmsRecipientRow>(
      `SELECT o.recipient_user_id AS "userId", o.organization_id AS "organizationId", o.alert_id AS "alertId",
              o.id AS "notificationId"
       FROM notification_deliveries d
       JOIN notification_outbox o ON o.id = d.notification_id
       JOIN notification_preferences p ON p.user_id = o.recipient_user_id AND p.phone = d.address
       WHERE d.address = $1 AND d.outcome = 'sent' AND o.channel = 'sms' AND o.alert_id IS NOT NULL
         AND d.attempted_at > now() - make_interval(secs => $2)
       ORDER BY d.attempted_at DESC, d.id DESC LIMIT 1`,
      [phone, withinSeconds],
    );
    return rows[0];
  }

  /** Pending notifications whose next attempt is due, oldest first: their jobs may have been lost. */
  async listDue(limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= now()
       ORDER BY next_attempt_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  async listForAlert(alertId: string): Promise<NotificationRow[]> {
    const { rows } = await this.db.query<NotificationRow>(
      `SELECT ${COLUMNS} FROM notification_outbox WHERE alert_id = $1 ORDER BY created_at, id`,
      [alertId],
    );
    return rows;
  }

  async listDeliveries(notificationId: string): Promise<NotificationDeliveryRow[]> {
    const { rows } = await this.db.query<NotificationDeliveryRow>(
      `SELECT notification_id AS "notificationId", attempt, transport, outcome, error, address,
              provider_message_id AS "providerMessageId", provider_status AS "providerStatus",
              attempted_at AS "attemptedAt"
       FROM notification_deliveries WHERE notification_id = $1 ORDER BY id`,
      [notificationId],
    );
    return rows;
  }
}
