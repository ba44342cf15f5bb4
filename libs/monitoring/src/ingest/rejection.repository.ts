import { Injectable } from '@nestjs/common';
import { escapeUnstorableText } from '@homeward/contracts';
import { Database, type Queryable } from '@homeward/platform';
import type { NewRejectionRow } from '../monitoring.rows';

@Injectable()
export class RejectionRepository {
  constructor(private readonly db: Database) {}

  async insertMany(
    ingestClientId: string,
    rejections: NewRejectionRow[],
    q: Queryable = this.db,
  ): Promise<void> {
    if (rejections.length === 0) return;
    // Rejections describe bad input, so they are the likeliest place for text PostgreSQL
    // cannot hold; one such value would fail the batch holding every good message with it.
    const text = (value: string) => escapeUnstorableText(value);
    const optional = (value: string | null) => (value === null ? null : text(value));
    await q.query(
      `INSERT INTO reading_rejections (ingest_client_id, topic, device_ref, message_id, reason, detail, payload_bytes, payload_excerpt)
       SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[]) AS r`,
      [
        ingestClientId,
        rejections.map((r) => text(r.topic)),
        rejections.map((r) => optional(r.deviceRef)),
        rejections.map((r) => optional(r.messageId)),
        rejections.map((r) => r.reason),
        rejections.map((r) => text(r.detail)),
        rejections.map((r) => r.payloadBytes),
        rejections.map((r) => text(r.payloadExcerpt)),
      ],
    );
  }
}
