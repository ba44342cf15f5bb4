import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { NewNotificationRow, NotificationDeliveryRow, NotificationRow } from './notification.rows';

const COLUMNS = `id, organization_id AS "organizationId", recipient_user_id AS "recipientUserId", channel, kind,
  alert_id AS "alertId", payload, status, attempts, next_attempt_at AS "nextAttemptAt", created_at AS "createdAt",
  sent_at AS "sentAt"`;

/** The notification outbox and the record of each delivery attempt. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly db: Database) {}

  /** Adds notifications in the caller's transaction; returns their ids. */
  async insert(notifications: readonly NewNotificationRow[], q: Queryable): Promise<string[]> {
    if (notifications.length === 0) return [];
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO notification_outbox (organization_id, recipient_user_id, channel, kind, alert_id, payload)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[])
       RETURNING id`,
      [
        notifications.map((n) => n.organizationId),
        notifications.map((n) => n.recipientUserId),
        notifications.map((n) => n.channel),
        notifications.map((n) => n.kind),
        notifications.map((n) => n.alertId),
        notifications.map((n) => JSON.stringify(n.payload)),
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
  async recordAttempt(
    attempt: { notificationId: string; attempt: number; transport: string; error: string | null },
    retryInMs: number | null,
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `INSERT INTO notification_deliveries (notification_id, attempt, transport, outcome, error)
       VALUES ($1, $2, $3, CASE WHEN $4::text IS NULL THEN 'sent' ELSE 'failed' END, $4)`,
      [attempt.notificationId, attempt.attempt, attempt.transport, attempt.error],
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
      `SELECT notification_id AS "notificationId", attempt, transport, outcome, error, attempted_at AS "attemptedAt"
       FROM notification_deliveries WHERE notification_id = $1 ORDER BY id`,
      [notificationId],
    );
    return rows;
  }
}
