import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { AlertRow } from '../alerting.rows';
import { ALERT_COLUMNS, CLOSED_STATUSES } from './alert.columns';

export interface AlertListFilter {
  statuses?: readonly AlertRow['status'][];
  assignedTo?: string;
  patientId?: string;
  severity?: AlertRow['severity'];
  /** Unless true, alerts snoozed until a time still to come are left out. */
  includeSnoozed?: boolean;
  /** Exclusive bounds on `sequence`, as bigint text. */
  afterSequence?: string;
  beforeSequence?: string;
  limit: number;
}

/** Alerts as people see and act on them: the queue, one alert, the actions' state changes, the replay after a reconnect. */
@Injectable()
export class AlertRepository {
  constructor(private readonly db: Database) {}

  /**
   * The alerts of the patients in `scope`, newest first, optionally within a status, patient, severity and
   * an exclusive sequence range (`beforeSequence` is the keyset cursor of the next page).
   */
  async listInScope(scope: PatientScope, filter: AlertListFilter): Promise<AlertRow[]> {
    // The table column: ORDER BY would take the select list's text `sequence` (PostgreSQL docs 7.5).
    const params: unknown[] = [
      filter.statuses?.length ? filter.statuses : null,
      filter.patientId ?? null,
      filter.severity ?? null,
      filter.afterSequence ?? null,
      filter.beforeSequence ?? null,
      filter.limit,
      filter.assignedTo ?? null,
      filter.includeSnoozed ?? false,
    ];
    const { rows } = await this.db.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts
       WHERE ${scope.sql(params)} AND ($1::text[] IS NULL OR status = ANY($1)) AND ($2::uuid IS NULL OR patient_id = $2)
         AND ($3::text IS NULL OR severity = $3)
         AND ($4::bigint IS NULL OR alerts.sequence > $4) AND ($5::bigint IS NULL OR alerts.sequence < $5)
         AND ($7::uuid IS NULL OR assigned_to = $7)
         AND ($8 OR snoozed_until IS NULL OR snoozed_until <= now())
       ORDER BY alerts.sequence DESC LIMIT $6`,
      params,
    );
    return rows;
  }

  /** An alert by id, locked until the transaction ends (the platform's own actions: escalation). */
  async findForUpdate(id: string, q: Queryable): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0];
  }

  async findInScope(scope: PatientScope, id: string, q: Queryable = this.db): Promise<AlertRow | undefined> {
    const params: unknown[] = [id];
    const { rows } = await q.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${scope.sql(params)} AND id = $1`,
      params,
    );
    return rows[0];
  }

  /**
   * Applies an action's change only while the alert is still in one of `fromStatuses`: of two
   * people acting at once, the second finds no row and is told the state that beat it. Returns
   * the state the change started from, read from the row it locked and changed (under READ
   * COMMITTED the lock waits for a concurrent change and then sees its result), so the history
   * records the state this change really left, not one read before another action committed.
   */
  async transition(
    change: {
      scope: PatientScope;
      id: string;
      fromStatuses: readonly AlertRow['status'][];
      toStatus?: AlertRow['status'];
      /** Assigns the alert to this user, replacing any assignee. */
      assignedTo?: string;
      /** Assigns the alert to this user only when nobody is assigned at the moment of the change. */
      assignIfUnassigned?: string;
      snoozedUntil?: Date;
    },
    q: Queryable = this.db,
  ): Promise<{ row: AlertRow; fromStatus: AlertRow['status'] } | undefined> {
    const params: unknown[] = [
      change.id,
      change.fromStatuses,
      change.toStatus ?? null,
      change.assignedTo ?? null,
      change.snoozedUntil ?? null,
      CLOSED_STATUSES,
      change.assignIfUnassigned ?? null,
    ];
    const { rows } = await q.query<AlertRow & { fromStatus: AlertRow['status'] }>(
      `UPDATE alerts SET
         status = COALESCE($3, status),
         assigned_to = COALESCE($4, assigned_to, $7),
         snoozed_until = CASE WHEN $5::timestamptz IS NOT NULL THEN $5
                              WHEN $3 IS NOT NULL THEN NULL ELSE snoozed_until END,
         acknowledged_at = CASE WHEN $3 = 'acknowledged' THEN COALESCE(acknowledged_at, now()) ELSE acknowledged_at END,
         closed_at = CASE WHEN $3 = ANY($6::text[]) THEN now() ELSE closed_at END,
         -- Once someone moves it, a raised episode's earlier state is history, not a way back.
         raised_from = CASE WHEN $3 IS NOT NULL THEN NULL ELSE raised_from END,
         updated_at = now()
       FROM (SELECT id AS old_id, status AS old_status FROM alerts
             WHERE ${change.scope.sql(params)} AND id = $1 AND status = ANY($2::text[]) FOR UPDATE) old
       WHERE alerts.id = old.old_id
       RETURNING old.old_status AS "fromStatus", ${ALERT_COLUMNS}`,
      params,
    );
    if (rows.length === 0) return undefined;
    const { fromStatus, ...row } = rows[0];
    return { row, fromStatus };
  }

  /**
   * Alerts in `scope` raised at or before `afterSequence` and changed after it, oldest change
   * first: what a reconnecting client has a stale copy of.
   */
  async listChangedAfter(scope: PatientScope, afterSequence: string, limit: number): Promise<AlertRow[]> {
    const params: unknown[] = [afterSequence, limit];
    const { rows } = await this.db.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts
       WHERE ${scope.sql(params)} AND alerts.sequence <= $1 AND alerts.change_sequence > $1
       ORDER BY alerts.change_sequence LIMIT $2`,
      params,
    );
    return rows;
  }
}
