import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { Database } from '@homeward/platform';
import type { AlertResponseTimesRow, AlertRow, AlertStateCountRow } from '../alerting.rows';
import { ACTIVE_SQL } from './alert.columns';

/** Counts and response times over alerts, for the programme's metrics and the worklist. */
@Injectable()
export class AlertMetricsRepository {
  constructor(private readonly db: Database) {}

  /** Counts by severity and state of the alerts raised in [from, to) in `scope`. */
  async countByState(scope: PatientScope, from: Date, to: Date): Promise<AlertStateCountRow[]> {
    const params: unknown[] = [from, to];
    const { rows } = await this.db.query<AlertStateCountRow>(
      `SELECT severity, status, count(*)::int AS count FROM alerts
       WHERE ${scope.sql(params)} AND created_at >= $1 AND created_at < $2
       GROUP BY severity, status ORDER BY severity, status`,
      params,
    );
    return rows;
  }

  /**
   * Median and 90th percentile seconds from raising to acknowledgement and to resolution of the
   * alerts raised in [from, to), with the number of alerts and of the scope's patients.
   */
  async responseTimes(scope: PatientScope, from: Date, to: Date): Promise<AlertResponseTimesRow> {
    const params: unknown[] = [from, to];
    const { rows } = await this.db.query<AlertResponseTimesRow>(
      `SELECT count(*)::int AS alerts,
              (SELECT count(*)::int FROM patients WHERE ${scope.sql(params, undefined, 'id')}) AS patients,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at))
                AS "acknowledgeP50",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at))
                AS "acknowledgeP90",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at))
                FILTER (WHERE status = 'resolved') AS "resolveP50",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at))
                FILTER (WHERE status = 'resolved') AS "resolveP90"
       FROM alerts WHERE ${scope.sql(params)} AND created_at >= $1 AND created_at < $2`,
      params,
    );
    return rows[0];
  }

  /**
   * Per patient among `patientIds` in `scope` with active alerts: how many, and the worst
   * severity among them (snoozed ones included: they are still open).
   */
  async activeSummary(
    scope: PatientScope,
    patientIds: readonly string[],
  ): Promise<Array<{ patientId: string; count: number; worstSeverity: AlertRow['severity'] }>> {
    const params: unknown[] = [patientIds];
    const { rows } = await this.db.query<{
      patientId: string;
      count: number;
      worstSeverity: AlertRow['severity'];
    }>(
      `SELECT patient_id AS "patientId", count(*)::int AS count,
              (array_agg(severity ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END))[1]
                AS "worstSeverity"
       FROM alerts WHERE ${scope.sql(params)} AND patient_id = ANY($1::uuid[]) AND status IN ${ACTIVE_SQL}
       GROUP BY patient_id`,
      params,
    );
    return rows;
  }
}
