import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { escapeUnstorableText } from '@homeward/contracts';
import { Database, type Queryable } from '@homeward/platform';
import type { ImplausibleRejectionRow, NewRejectionRow } from '../monitoring.rows';

/** A rejected device message as an organisation's admins review it. */
export interface RejectionRow {
  id: string;
  receivedAt: Date;
  topic: string;
  deviceId: string;
  messageId: string | null;
  reason: string;
  detail: string;
  payloadBytes: number;
  /** At most 4 KiB of the payload as it came, as text. */
  payloadExcerpt: string;
}

@Injectable()
export class RejectionRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records rejections; returns the ids of those that raise a device notice (an implausible
   * value from a registered device), in no particular order.
   */
  async insertMany(
    ingestClientId: string,
    rejections: NewRejectionRow[],
    q: Queryable = this.db,
  ): Promise<string[]> {
    if (rejections.length === 0) return [];
    // Rejections describe bad input, so they are the likeliest place for text PostgreSQL
    // cannot hold; one such value would fail the batch holding every good message with it.
    const text = (value: string) => escapeUnstorableText(value);
    const optional = (value: string | null) => (value === null ? null : text(value));
    const { rows } = await q.query<{ id: string; notice: boolean }>(
      `INSERT INTO reading_rejections (ingest_client_id, topic, device_ref, message_id, reason, detail, payload_bytes,
                                       payload_excerpt, patient_id, vital_type, vital_value, vital_unit)
       SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
                                  $9::uuid[], $10::text[], $11::float8[], $12::text[]) AS r
       RETURNING id::text AS id, patient_id IS NOT NULL AS notice`,
      [
        ingestClientId,
        rejections.map((r) => text(r.topic)),
        rejections.map((r) => optional(r.deviceRef)),
        rejections.map((r) => optional(r.messageId)),
        rejections.map((r) => r.reason),
        rejections.map((r) => text(r.detail)),
        rejections.map((r) => r.payloadBytes),
        rejections.map((r) => text(r.payloadExcerpt)),
        rejections.map((r) => r.implausible?.patientId ?? null),
        rejections.map((r) => r.implausible?.type ?? null),
        rejections.map((r) => r.implausible?.value ?? null),
        rejections.map((r) => (r.implausible ? text(r.implausible.unit) : null)),
      ],
    );
    return rows.filter((row) => row.notice).map((row) => row.id);
  }

  /** An implausible-value rejection of a registered device, by id; undefined for any other. */
  async findImplausible(id: string): Promise<ImplausibleRejectionRow | undefined> {
    const { rows } = await this.db.query<ImplausibleRejectionRow>(
      `SELECT id::text AS id, received_at AS "receivedAt", device_ref AS "deviceId", patient_id AS "patientId",
              coalesce(message_id, 'rejection-' || id) AS "messageId",
              vital_type AS type, vital_value AS value, vital_unit AS unit
       FROM reading_rejections
       WHERE id = $1 AND reason = 'implausible_value' AND patient_id IS NOT NULL`,
      [id],
    );
    return rows[0];
  }

  /**
   * The rejections of an organisation's devices, newest first. A message on a topic naming no
   * registered device belongs to no organisation and is left to the platform's operators (logs,
   * the table itself).
   */
  async listInScope(
    scope: PatientScope,
    filter: { deviceId?: string; reason?: string; beforeId?: string; limit: number },
  ): Promise<RejectionRow[]> {
    const params: unknown[] = [
      filter.deviceId ?? null,
      filter.reason ?? null,
      filter.beforeId ?? null,
      filter.limit,
    ];
    const { rows } = await this.db.query<RejectionRow>(
      `SELECT r.id::text AS id, r.received_at AS "receivedAt", r.topic, r.device_ref AS "deviceId",
              r.message_id AS "messageId", r.reason, r.detail, r.payload_bytes AS "payloadBytes",
              r.payload_excerpt AS "payloadExcerpt"
       FROM reading_rejections r
       JOIN devices d ON d.id::text = r.device_ref
       WHERE ${scope.sql(params, 'd')} AND ($1::text IS NULL OR r.device_ref = $1)
         AND ($2::text IS NULL OR r.reason = $2) AND ($3::bigint IS NULL OR r.id < $3)
       ORDER BY r.id DESC LIMIT $4`,
      params,
    );
    return rows;
  }
}
