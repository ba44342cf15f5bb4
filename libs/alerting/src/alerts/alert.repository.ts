import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/identity';
import { Database, type Queryable } from '@homeward/platform';
import type { AlertEventRow, AlertRow, NewAlertRow } from '../alerting.rows';

const COLUMNS = `id, sequence::text AS sequence, organization_id AS "organizationId", patient_id AS "patientId", rule_id AS "ruleId",
  rule_kind AS "ruleKind", rule_description AS "ruleDescription", severity, status, trigger_type AS "triggerType",
  trigger_value AS "triggerValue", trigger_unit AS "triggerUnit", trigger_measured_at AS "triggerMeasuredAt",
  trigger_device_id AS "triggerDeviceId", trigger_message_id AS "triggerMessageId", batch_id AS "batchId",
  correlation_id AS "correlationId", assigned_to AS "assignedTo", snoozed_until AS "snoozedUntil",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const CLOSED = ['resolved', 'dismissed'];

export interface AlertListFilter {
  statuses?: readonly AlertRow['status'][];
  assignedTo?: string;
  patientId?: string;
  severity?: AlertRow['severity'];
  /** Exclusive bounds on `sequence`, as bigint text. */
  afterSequence?: string;
  beforeSequence?: string;
  limit: number;
}

@Injectable()
export class AlertRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the alerts not raised before for the same rule and reading; returns only the new ones. */
  async insertNew(alerts: NewAlertRow[]): Promise<AlertRow[]> {
    if (alerts.length === 0) return [];
    const { rows } = await this.db.query<AlertRow>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, trigger_type,
                           trigger_value, trigger_unit, trigger_measured_at, trigger_device_id, trigger_message_id,
                           batch_id, correlation_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::float8[], $9::text[], $10::timestamptz[], $11::uuid[], $12::text[], $13::uuid[], $14::text[])
       ON CONFLICT ON CONSTRAINT alerts_rule_trigger_key DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        alerts.map((a) => a.organizationId),
        alerts.map((a) => a.patientId),
        alerts.map((a) => a.ruleId),
        alerts.map((a) => a.ruleKind),
        alerts.map((a) => a.ruleDescription),
        alerts.map((a) => a.severity),
        alerts.map((a) => a.triggerType),
        alerts.map((a) => a.triggerValue),
        alerts.map((a) => a.triggerUnit),
        alerts.map((a) => a.triggerMeasuredAt),
        alerts.map((a) => a.triggerDeviceId),
        alerts.map((a) => a.triggerMessageId),
        alerts.map((a) => a.batchId),
        alerts.map((a) => a.correlationId),
      ],
    );
    return rows;
  }

  /**
   * The alerts of the patients in `scope`, newest first, optionally within a status, patient, severity and
   * an exclusive sequence range (`beforeSequence` is the keyset cursor of the next page).
   */
  async listInScope(scope: PatientScope, filter: AlertListFilter): Promise<AlertRow[]> {
    // Ordered by the table column: the select list's `sequence` is text (TRAPS 27).
    const { rows } = await this.db.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts
       WHERE organization_id = $1 AND ($2::text[] IS NULL OR status = ANY($2)) AND ($3::uuid IS NULL OR patient_id = $3)
         AND ($4::text IS NULL OR severity = $4)
         AND ($5::bigint IS NULL OR alerts.sequence > $5) AND ($6::bigint IS NULL OR alerts.sequence < $6)
         AND ($8::uuid IS NULL OR assigned_to = $8)
       ORDER BY alerts.sequence DESC LIMIT $7`,
      [
        scope.organizationId,
        filter.statuses?.length ? filter.statuses : null,
        filter.patientId ?? null,
        filter.severity ?? null,
        filter.afterSequence ?? null,
        filter.beforeSequence ?? null,
        filter.limit,
        filter.assignedTo ?? null,
      ],
    );
    return rows;
  }

  async findInScope(scope: PatientScope, id: string, q: Queryable = this.db): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts WHERE organization_id = $1 AND id = $2`,
      [scope.organizationId, id],
    );
    return rows[0];
  }

  /**
   * Applies an action's change only while the alert is still in one of `fromStatuses`: of two
   * people acting at once, the second finds no row and is told the state that beat it.
   */
  async transition(
    change: {
      scope: PatientScope;
      id: string;
      fromStatuses: readonly AlertRow['status'][];
      toStatus?: AlertRow['status'];
      assignedTo?: string;
      snoozedUntil?: Date;
    },
    q: Queryable = this.db,
  ): Promise<AlertRow | undefined> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET
         status = COALESCE($4, status),
         assigned_to = COALESCE($5, assigned_to),
         snoozed_until = CASE WHEN $6::timestamptz IS NOT NULL THEN $6
                              WHEN $4 IS NOT NULL THEN NULL ELSE snoozed_until END,
         acknowledged_at = CASE WHEN $4 = 'acknowledged' THEN COALESCE(acknowledged_at, now()) ELSE acknowledged_at END,
         closed_at = CASE WHEN $4 = ANY($7::text[]) THEN now() ELSE closed_at END,
         updated_at = now()
       WHERE organization_id = $1 AND id = $2 AND status = ANY($3::text[])
       RETURNING ${COLUMNS}`,
      [
        change.scope.organizationId,
        change.id,
        change.fromStatuses,
        change.toStatus ?? null,
        change.assignedTo ?? null,
        change.snoozedUntil ?? null,
        CLOSED,
      ],
    );
    return rows[0];
  }

  async insertEvent(
    event: {
      alertId: string;
      organizationId: string;
      actorUserId: string;
      action: string;
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
