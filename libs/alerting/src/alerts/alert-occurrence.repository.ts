import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { AlertOccurrenceRow, AlertRow } from '../alerting.rows';

/** The breaching readings linked to each episode (`alert_occurrences`): once per reading, so a re-evaluated batch attaches nothing twice. */
@Injectable()
export class AlertOccurrenceRepository {
  constructor(private readonly db: Database) {}

  /** Links a breaching reading to its episode; false when it was linked before (a re-evaluated batch). */
  async insertOccurrence(
    occurrence: AlertOccurrenceRow & {
      alertId: string;
      patientId: string;
      episodeKey: string;
      batchId: string;
    },
    q: Queryable,
  ): Promise<boolean> {
    const result = await q.query(
      `INSERT INTO alert_occurrences (alert_id, patient_id, episode_key, rule_id, severity, device_id, message_id, type,
                                      measured_at, value, unit, batch_id, rule_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT DO NOTHING`,
      [
        occurrence.alertId,
        occurrence.patientId,
        occurrence.episodeKey,
        occurrence.ruleId,
        occurrence.severity,
        occurrence.deviceId,
        occurrence.messageId,
        occurrence.type,
        occurrence.measuredAt,
        occurrence.value,
        occurrence.unit,
        occurrence.batchId,
        occurrence.ruleVersion,
      ],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** The readings that fed an alert, oldest first. */
  async listOccurrences(alertId: string): Promise<AlertOccurrenceRow[]> {
    const { rows } = await this.db.query<AlertOccurrenceRow>(
      `SELECT rule_id AS "ruleId", rule_version AS "ruleVersion", severity, device_id AS "deviceId", message_id AS "messageId", type,
              measured_at AS "measuredAt", value, unit
       FROM alert_occurrences WHERE alert_id = $1 ORDER BY measured_at, type`,
      [alertId],
    );
    return rows;
  }

  /**
   * The breaching readings linked to any alert of the patient in `scope`, measured in
   * [from, to], oldest first, with their alert: what a chart marks.
   */
  async listOccurrencesForPatient(
    scope: PatientScope,
    patientId: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<Array<AlertOccurrenceRow & { alertId: string; alertStatus: AlertRow['status'] }>> {
    const params: unknown[] = [patientId, from, to, limit];
    const { rows } = await this.db.query<
      AlertOccurrenceRow & { alertId: string; alertStatus: AlertRow['status'] }
    >(
      `SELECT o.alert_id AS "alertId", a.status AS "alertStatus", o.rule_id AS "ruleId", o.rule_version AS "ruleVersion",
              o.severity, o.device_id AS "deviceId", o.message_id AS "messageId", o.type, o.measured_at AS "measuredAt",
              o.value, o.unit
       FROM alert_occurrences o JOIN alerts a ON a.id = o.alert_id AND ${scope.sql(params, 'a')}
       WHERE o.patient_id = $1 AND o.measured_at >= $2 AND o.measured_at <= $3
       ORDER BY o.measured_at, o.type LIMIT $4`,
      params,
    );
    return rows;
  }
}
