import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { ContactChannel, NotificationPreferencesRow } from '../outbox/notification.rows';

const COLUMNS = `user_id AS "userId", organization_id AS "organizationId", phone, channels,
  updated_by AS "updatedBy", updated_at AS "updatedAt"`;

/** Users' phone numbers and channel order. */
@Injectable()
export class NotificationPreferencesRepository {
  constructor(private readonly db: Database) {}

  async find(userId: string, q: Queryable = this.db): Promise<NotificationPreferencesRow | undefined> {
    const { rows } = await q.query<NotificationPreferencesRow>(
      `SELECT ${COLUMNS} FROM notification_preferences WHERE user_id = $1`,
      [userId],
    );
    return rows[0];
  }

  async list(userIds: readonly string[], q: Queryable = this.db): Promise<NotificationPreferencesRow[]> {
    if (userIds.length === 0) return [];
    const { rows } = await q.query<NotificationPreferencesRow>(
      `SELECT ${COLUMNS} FROM notification_preferences WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    );
    return rows;
  }

  async upsert(
    preferences: {
      userId: string;
      organizationId: string;
      phone: string | null;
      channels: ContactChannel[] | null;
      updatedBy: string;
    },
    q: Queryable,
  ): Promise<NotificationPreferencesRow> {
    const { rows } = await q.query<NotificationPreferencesRow>(
      `INSERT INTO notification_preferences (user_id, organization_id, phone, channels, updated_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE
         SET phone = EXCLUDED.phone, channels = EXCLUDED.channels, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        preferences.userId,
        preferences.organizationId,
        preferences.phone,
        preferences.channels,
        preferences.updatedBy,
      ],
    );
    return rows[0];
  }
}
