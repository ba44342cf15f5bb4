import { Injectable } from '@nestjs/common';
import { Database, numberArrayLiteral, textArrayLiteral, timestampArrayLiteral } from '@homeward/platform';
import type { HistoryReading } from './demo-history';

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
}
