import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/identity';
import { Database } from '@homeward/platform';
import type { AlertRow, NewAlertRow } from '../alerting.rows';

const COLUMNS = `id, sequence::text AS sequence, organization_id AS "organizationId", patient_id AS "patientId", rule_id AS "ruleId",
  rule_kind AS "ruleKind", rule_description AS "ruleDescription", severity, status, trigger_type AS "triggerType",
  trigger_value AS "triggerValue", trigger_unit AS "triggerUnit", trigger_measured_at AS "triggerMeasuredAt",
  trigger_device_id AS "triggerDeviceId", trigger_message_id AS "triggerMessageId", batch_id AS "batchId",
  correlation_id AS "correlationId", created_at AS "createdAt"`;

export interface AlertListFilter {
  status?: AlertRow['status'];
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
       WHERE organization_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR patient_id = $3)
         AND ($4::text IS NULL OR severity = $4)
         AND ($5::bigint IS NULL OR alerts.sequence > $5) AND ($6::bigint IS NULL OR alerts.sequence < $6)
       ORDER BY alerts.sequence DESC LIMIT $7`,
      [
        scope.organizationId,
        filter.status ?? null,
        filter.patientId ?? null,
        filter.severity ?? null,
        filter.afterSequence ?? null,
        filter.beforeSequence ?? null,
        filter.limit,
      ],
    );
    return rows;
  }
}
