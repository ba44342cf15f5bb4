import { Injectable } from '@nestjs/common';
import type { AlertEventAction } from '@homeward/contracts';
import { Database, type Queryable } from '@homeward/platform';
import type { AlertEventRow, AlertRow } from '../alerting.rows';

/** An alert's history (`alert_events`): every action, people's and the platform's. */
@Injectable()
export class AlertHistoryRepository {
  constructor(private readonly db: Database) {}

  async insertEvent(
    event: {
      alertId: string;
      organizationId: string;
      /** Null for the platform's own actions (re-opening, all clear). */
      actorUserId: string | null;
      action: AlertEventAction;
      fromStatus: AlertRow['status'];
      toStatus: AlertRow['status'];
      detail: Record<string, unknown>;
    },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      `INSERT INTO alert_events (alert_id, organization_id, actor_user_id, action, from_status, to_status, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        event.alertId,
        event.organizationId,
        event.actorUserId,
        event.action,
        event.fromStatus,
        event.toStatus,
        JSON.stringify(event.detail),
      ],
    );
  }

  /** An alert's history, oldest first. */
  async listEvents(alertId: string): Promise<AlertEventRow[]> {
    const { rows } = await this.db.query<AlertEventRow>(
      `SELECT id::text AS id, action, actor_user_id AS "actorUserId", from_status AS "fromStatus",
              to_status AS "toStatus", detail, created_at AS "createdAt"
       FROM alert_events WHERE alert_id = $1 ORDER BY id`,
      [alertId],
    );
    return rows;
  }
}
