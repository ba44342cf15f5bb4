import { Injectable } from '@nestjs/common';
import {
  Database,
  byteaArrayLiteral,
  numberArrayLiteral,
  textArrayLiteral,
  timestampArrayLiteral,
  type Queryable,
} from '@homeward/platform';
import type { IngestBatchRow, NewMessageWithReadings } from '../monitoring.rows';

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
   * thrown (undefined: not checked). A message whose patient has no active `rpm_monitoring`
   * consent in this statement's snapshot is neither claimed nor stored: a revocation committed
   * before the statement holds for every batch after it, whichever process stores it. Returns
   * the positions in `messages` of those whose key was already taken and of those without
   * consent (usually none: only they come back, not every claim).
   */
  async storeNewMessages(
    batch: { id: string; ingestClientId: string; rejectedCount: number },
    messages: readonly NewMessageWithReadings[],
    routesVersion: string | undefined,
    q: Queryable = this.db,
  ): Promise<{ taken: number[]; unconsented: number[]; storedReadings: number }> {
    if (messages.length === 0) return { taken: [], unconsented: [], storedReadings: 0 };
    // What a message's readings share is sent once per message; each reading names its
    // message's position. Fewer array elements to serialise: the largest allocation in ingest.
    const readings = readingColumns(messages);
    const { rows } = await q.query<{
      routesCurrent: boolean;
      storedReadings: number;
      taken: number[];
      unconsented: number[];
    }>(
      // device_route_changes is the patients domain's route counter (see its migration).
      `WITH guard AS (
         SELECT $16::bigint IS NULL OR version = $16::bigint AS current FROM device_route_changes
       ), message AS (
         SELECT * FROM unnest($2::uuid[], $3::text[], $4::bytea[], $5::timestamptz[], $6::uuid[], $7::text[],
                              $18::boolean[])
           WITH ORDINALITY AS m (device_id, message_id, content_hash, measured_at, patient_id, flags, clock_suspect,
                                 position)
       ), consented AS (
         -- patient_consents is the access domain's table (see its migration).
         SELECT DISTINCT patient_id FROM patient_consents
         WHERE patient_id IN (SELECT patient_id FROM message) AND scope = 'rpm_monitoring' AND status = 'active'
       ), claimed AS (
         INSERT INTO device_messages (device_id, message_id, content_hash, measured_at, batch_id, clock_suspect)
         SELECT device_id, message_id, content_hash, measured_at, $1::uuid, clock_suspect FROM message
         WHERE (SELECT current FROM guard) AND patient_id IN (SELECT patient_id FROM consented)
         ON CONFLICT (device_id, message_id) DO NOTHING
         RETURNING device_id, message_id
       ), stored AS (
         INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                               source_value, source_unit, flags, batch_id)
         SELECT m.measured_at, m.patient_id, m.device_id, m.message_id, r.type, r.loinc, r.value, r.unit,
                r.source_value, r.source_unit, string_to_array(m.flags, ','), $1::uuid
         FROM unnest($8::int[], $9::text[], $10::text[], $11::float8[], $12::text[], $13::float8[], $14::text[])
           AS r (position, type, loinc, value, unit, source_value, source_unit)
         JOIN message m ON m.position = r.position
         JOIN claimed c ON c.device_id = m.device_id AND c.message_id = m.message_id
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
         SELECT $1::uuid, $15, $1::text, count(*), $17 FROM stored HAVING count(*) > 0
       )
       SELECT g.current AS "routesCurrent",
              (SELECT count(*) FROM stored)::int AS "storedReadings",
              (SELECT coalesce(array_agg(m.position - 1 ORDER BY m.position), '{}')
               FROM message m
               WHERE m.patient_id IN (SELECT patient_id FROM consented)
                 AND NOT EXISTS (SELECT 1 FROM claimed c
                                 WHERE c.device_id = m.device_id AND c.message_id = m.message_id))::int[] AS taken,
              (SELECT coalesce(array_agg(m.position - 1 ORDER BY m.position), '{}')
               FROM message m
               WHERE m.patient_id NOT IN (SELECT patient_id FROM consented))::int[] AS unconsented
       FROM guard g`,
      // The arrays go as literals built in one join each (see array-literal.ts).
      [
        batch.id,
        textArrayLiteral(messages.map((m) => m.deviceId)),
        textArrayLiteral(messages.map((m) => m.messageId)),
        byteaArrayLiteral(messages.map((m) => m.contentHash)),
        timestampArrayLiteral(messages.map((m) => m.measuredAt)),
        textArrayLiteral(messages.map((m) => m.patientId)),
        // unnest cannot take an array of arrays; flag names are snake_case, so a comma joins them.
        textArrayLiteral(messages.map((m) => (m.flags.length > 0 ? m.flags.join(',') : null))),
        numberArrayLiteral(readings.position),
        textArrayLiteral(readings.type),
        textArrayLiteral(readings.loinc),
        numberArrayLiteral(readings.value),
        textArrayLiteral(readings.unit),
        numberArrayLiteral(readings.sourceValue),
        textArrayLiteral(readings.sourceUnit),
        batch.ingestClientId,
        routesVersion ?? null,
        batch.rejectedCount,
        // NULL, not false, for the usual message: the column reads NULL as "not suspect".
        textArrayLiteral(messages.map((m) => (m.clockSuspect ? 'true' : null))),
      ],
    );
    if (!rows[0].routesCurrent) throw new RoutesChangedError();
    return { taken: rows[0].taken, unconsented: rows[0].unconsented, storedReadings: rows[0].storedReadings };
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

/** The messages' readings as columns, each naming its message's 1-based position. */
function readingColumns(messages: readonly NewMessageWithReadings[]) {
  const columns = {
    position: [] as number[],
    type: [] as string[],
    loinc: [] as string[],
    value: [] as number[],
    unit: [] as string[],
    sourceValue: [] as number[],
    sourceUnit: [] as string[],
  };
  messages.forEach((message, index) => {
    for (const reading of message.readings) {
      columns.position.push(index + 1);
      columns.type.push(reading.type);
      columns.loinc.push(reading.loinc);
      columns.value.push(reading.value);
      columns.unit.push(reading.unit);
      columns.sourceValue.push(reading.sourceValue);
      columns.sourceUnit.push(reading.sourceUnit);
    }
  });
  return columns;
}
