import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type {
  DeviceMessageKey,
  IngestBatchRow,
  NewDeviceMessageRow,
  NewReadingRow,
} from '../monitoring.rows';

const COLUMNS = `id, correlation_id AS "correlationId", created_at AS "createdAt", enqueued_at AS "enqueuedAt",
  evaluated_at AS "evaluatedAt"`;

/** The routes a batch was prepared with are no longer the database's: nothing was written. */
export class RoutesChangedError extends Error {
  constructor() {
    super('device routes changed while the batch was prepared; prepare it again');
  }
}

/** The evaluation outbox: written in the same transaction as the readings it names. */
@Injectable()
export class IngestBatchRepository {
  constructor(private readonly db: Database) {}

  async create(
    batch: {
      id: string;
      ingestClientId: string;
      correlationId: string;
      storedCount: number;
      rejectedCount: number;
    },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      `INSERT INTO ingest_batches (id, ingest_client_id, correlation_id, stored_count, rejected_count)
       VALUES ($1, $2, $3, $4, $5)`,
      [batch.id, batch.ingestClientId, batch.correlationId, batch.storedCount, batch.rejectedCount],
    );
  }

  /**
   * The hot path's one statement (writable CTEs, so one round trip, and outside a transaction
   * one commit): claims each (device, messageId) for the batch, stores the readings of the
   * messages it claimed, adds their local days to adherence's rollup (`patient_reading_days`)
   * and writes the outbox row when anything was stored. A key another transaction is claiming
   * waits for it, so a message is claimed exactly once. Keys must be unique in `messages`.
   * `routesVersion`, the device routes' version the readings' patients were taken from, is
   * checked in the same statement: when it moved, nothing is written and RoutesChangedError is
   * thrown (undefined: not checked).
   */
  async storeNewMessages(
    batch: { id: string; ingestClientId: string; rejectedCount: number },
    messages: readonly NewDeviceMessageRow[],
    readings: readonly NewReadingRow[],
    routesVersion: string | undefined,
    q: Queryable = this.db,
  ): Promise<{ claimed: DeviceMessageKey[]; storedReadings: number }> {
    if (messages.length === 0) return { claimed: [], storedReadings: 0 };
    const { rows } = await q.query<
      { routesCurrent: boolean; storedReadings: number } & (DeviceMessageKey | { deviceId: null })
    >(
      // device_route_changes is the patients domain's route counter (see its migration).
      `WITH guard AS (
         SELECT $19::bigint IS NULL OR version = $19::bigint AS current FROM device_route_changes
       ), claimed AS (
         INSERT INTO device_messages (device_id, message_id, content_hash, measured_at, batch_id)
         SELECT *, $1::uuid FROM unnest($2::uuid[], $3::text[], $4::bytea[], $5::timestamptz[])
         WHERE (SELECT current FROM guard)
         ON CONFLICT (device_id, message_id) DO NOTHING
         RETURNING device_id, message_id
       ), stored AS (
         INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                               source_value, source_unit, flags, batch_id)
         SELECT r.measured_at, r.patient_id, r.device_id, r.message_id, r.type, r.loinc, r.value, r.unit,
                r.source_value, r.source_unit, string_to_array(r.flags, ','), $1::uuid
         FROM unnest($6::timestamptz[], $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::text[],
                     $12::float8[], $13::text[], $14::float8[], $15::text[], $16::text[])
           AS r (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                 source_value, source_unit, flags)
         JOIN claimed c ON c.device_id = r.device_id AND c.message_id = r.message_id
         RETURNING patient_id, measured_at
       ), days AS (
         -- The day in the zone adherence uses (the migration's backfill does the same); in key
         -- order, so two batches adding days of the same patients wait for each other, never deadlock.
         INSERT INTO patient_reading_days (patient_id, day)
         SELECT DISTINCT s.patient_id, (s.measured_at AT TIME ZONE coalesce(p.time_zone, 'UTC'))::date AS day
         FROM stored s JOIN patients p ON p.id = s.patient_id
         ORDER BY s.patient_id, day
         ON CONFLICT DO NOTHING
       ), outbox AS (
         INSERT INTO ingest_batches (id, ingest_client_id, correlation_id, stored_count, rejected_count)
         SELECT $1::uuid, $17, $1::text, count(*), $18 FROM stored HAVING count(*) > 0
       )
       SELECT g.current AS "routesCurrent", c.device_id AS "deviceId", c.message_id AS "messageId",
              (SELECT count(*) FROM stored)::int AS "storedReadings"
       FROM guard g LEFT JOIN claimed c ON true`,
      [
        batch.id,
        messages.map((m) => m.deviceId),
        messages.map((m) => m.messageId),
        messages.map((m) => m.contentHash),
        messages.map((m) => m.measuredAt),
        readings.map((r) => r.measuredAt),
        readings.map((r) => r.patientId),
        readings.map((r) => r.deviceId),
        readings.map((r) => r.messageId),
        readings.map((r) => r.type),
        readings.map((r) => r.loinc),
        readings.map((r) => r.value),
        readings.map((r) => r.unit),
        readings.map((r) => r.sourceValue),
        readings.map((r) => r.sourceUnit),
        // unnest cannot take an array of arrays; flag names are snake_case, so a comma joins them.
        readings.map((r) => (r.flags.length > 0 ? r.flags.join(',') : null)),
        batch.ingestClientId,
        batch.rejectedCount,
        routesVersion ?? null,
      ],
    );
    if (!rows[0].routesCurrent) throw new RoutesChangedError();
    return {
      claimed: rows.flatMap((row) =>
        row.deviceId === null ? [] : [{ deviceId: row.deviceId, messageId: row.messageId }],
      ),
      storedReadings: rows[0].storedReadings,
    };
  }

  async markEnqueued(ids: string[]): Promise<void> {
    await this.db.query(
      `UPDATE ingest_batches SET enqueued_at = now() WHERE id = ANY($1::uuid[]) AND enqueued_at IS NULL`,
      [ids],
    );
  }

  async findById(id: string): Promise<IngestBatchRow | undefined> {
    const { rows } = await this.db.query<IngestBatchRow>(
      `SELECT ${COLUMNS} FROM ingest_batches WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** Batches still unevaluated after `olderThanMs`: their job was lost or is stuck. */
  async findPending(olderThanMs: number, limit: number): Promise<IngestBatchRow[]> {
    const { rows } = await this.db.query<IngestBatchRow>(
      `SELECT ${COLUMNS} FROM ingest_batches
       WHERE evaluated_at IS NULL AND created_at < now() - make_interval(secs => $1::float8 / 1000)
       ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows;
  }

  async markEvaluated(id: string, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE ingest_batches SET evaluated_at = now() WHERE id = $1 AND evaluated_at IS NULL`, [
      id,
    ]);
  }
}
