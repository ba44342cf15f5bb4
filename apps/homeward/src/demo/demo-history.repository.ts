import { Injectable } from '@nestjs/common';
import { Database, numberArrayLiteral, textArrayLiteral, timestampArrayLiteral } from '@homeward/platform';
import type { HistoryReading, PastAlert } from './demo-history';

/** The ingest client the demo's history batches are written as: the marker that history exists. */
const HISTORY_CLIENT = 'demo-history';

/** Writes the demo patients' past readings, outside ingest: they are history, not to be evaluated. */
@Injectable()
export class DemoHistoryRepository {
  constructor(private readonly db: Database) {}

  async hasHistory(patientId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ingest_batches WHERE ingest_client_id = $1 AND correlation_id = $2) AS found`,
      [HISTORY_CLIENT, patientId],
    );
    return rows[0].found;
  }

  /**
   * One statement: the readings, their local days in adherence's rollup (patient_reading_days,
   * as ingest adds them) and a batch row already marked evaluated, so the readings sweep never
   * raises alerts from the past. The batch names the patient: it is what `hasHistory` finds.
   */
  async insert(batchId: string, patientId: string, readings: readonly HistoryReading[]): Promise<void> {
    if (readings.length === 0) return;
    await this.db.query(
      `WITH stored AS (
         INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                               source_value, source_unit, batch_id)
         SELECT r.measured_at, $2::uuid, r.device_id, r.message_id, r.type, r.loinc, r.value, r.unit,
                r.value, r.unit, $1::uuid
         FROM unnest($3::timestamptz[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[])
           AS r (measured_at, device_id, message_id, type, loinc, value, unit)
         ON CONFLICT DO NOTHING
         RETURNING measured_at
       ), days AS (
         INSERT INTO patient_reading_days (patient_id, day)
         SELECT DISTINCT $2::uuid, (s.measured_at AT TIME ZONE coalesce(p.time_zone, 'UTC'))::date
         FROM stored s JOIN patients p ON p.id = $2::uuid
         ON CONFLICT DO NOTHING
       )
       INSERT INTO ingest_batches (id, ingest_client_id, correlation_id, stored_count, rejected_count,
                                   enqueued_at, evaluated_at)
       SELECT $1::uuid, $10, $2::text, count(*), 0, now(), now() FROM stored`,
      [
        batchId,
        patientId,
        timestampArrayLiteral(readings.map((r) => r.measuredAt)),
        textArrayLiteral(readings.map((r) => r.deviceId)),
        textArrayLiteral(readings.map((r) => r.messageId)),
        textArrayLiteral(readings.map((r) => r.type)),
        textArrayLiteral(readings.map((r) => r.loinc)),
        numberArrayLiteral(readings.map((r) => r.value)),
        textArrayLiteral(readings.map((r) => r.unit)),
        HISTORY_CLIENT,
      ],
    );
  }

  /** Dates the patient's protocols back to `since` (never forward). */
  async backdateProtocols(patientId: string, since: Date): Promise<void> {
    await this.db.query('UPDATE patient_protocols SET set_at = $2 WHERE patient_id = $1 AND set_at > $2', [
      patientId,
      since,
    ]);
  }

  /**
   * A past alert with its occurrence and its history, in the tables the live flow writes
   * (alerts, alert_occurrences, alert_events), at the times it happened. One statement, and
   * nothing when the patient already has an alert on that reading, so a seed interrupted
   * before its history was written can run again.
   */
  async insertPastAlert(
    patientId: string,
    batchId: string,
    alert: PastAlert & {
      rule: { id: string; kind: string; description: string; group: string };
      severity: string;
      summary: string;
      actors: Record<'coordinator' | 'clinician', string | undefined>;
    },
  ): Promise<void> {
    const { trigger, events } = alert;
    const acknowledged = events.find((event) => event.action === 'acknowledge');
    const closed = events.find((event) => event.toStatus === 'resolved');
    await this.db.query(
      `WITH inserted AS (
         INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                             trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                             trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at,
                             summary, assigned_to, acknowledged_at, closed_at, created_at, updated_at)
         SELECT p.organization_id, p.id, $3, $4, $5, $6, 'resolved', $7, $8, $9, $10, $11, $12, $2, $13, $14, $8, $10,
                $15, $16, $17, $18, $19, $18
         FROM patients p
         WHERE p.id = $1
           AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.patient_id = $1 AND a.trigger_device_id = $11
                                                    AND a.trigger_message_id = $12)
         RETURNING id, organization_id, patient_id
       ), occurrence AS (
         INSERT INTO alert_occurrences (alert_id, patient_id, episode_key, rule_id, severity, device_id, message_id,
                                        type, measured_at, value, unit, batch_id, created_at)
         SELECT i.id, i.patient_id, $14, $3, $6, $11, $12, $7, $10, $8, $9, $2, $19 FROM inserted i
         ON CONFLICT DO NOTHING
       )
       INSERT INTO alert_events (alert_id, organization_id, actor_user_id, action, from_status, to_status, detail,
                                 created_at)
       SELECT i.id, i.organization_id, e.actor, e.action, e.from_status, e.to_status, e.detail::jsonb, e.at
       FROM inserted i,
            unnest($20::uuid[], $21::text[], $22::text[], $23::text[], $24::text[], $25::timestamptz[])
              AS e (actor, action, from_status, to_status, detail, at)`,
      [
        patientId,
        batchId,
        alert.rule.id,
        alert.rule.kind,
        alert.rule.description,
        alert.severity,
        trigger.type,
        trigger.value,
        trigger.unit,
        trigger.measuredAt,
        trigger.deviceId,
        trigger.messageId,
        'demo-history',
        alert.rule.group,
        alert.summary,
        alert.actors.coordinator ?? null,
        acknowledged?.at ?? null,
        closed?.at ?? null,
        alert.raisedAt,
        events.map((event) => alert.actors[event.actor] ?? null),
        events.map((event) => event.action),
        events.map((event) => event.fromStatus),
        events.map((event) => event.toStatus),
        events.map((event) => JSON.stringify(event.detail)),
        events.map((event) => event.at),
      ],
    );
  }
}
