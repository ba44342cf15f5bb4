import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '../database';
import type { DeviceMessageClaimRow, NewDeviceMessageRow } from '../rows';

@Injectable()
export class DeviceMessageRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims each (device, messageId) for this batch. Claimed rows are new; an unclaimed row
   * comes back with the contents hash stored before it (null when unknown), so the caller can
   * tell a redelivery from a different message reusing the id. Keys must be unique in `messages`.
   */
  async claim(
    batchId: string,
    messages: NewDeviceMessageRow[],
    q: Queryable = this.db,
  ): Promise<DeviceMessageClaimRow[]> {
    if (messages.length === 0) return [];
    const { rows } = await q.query<DeviceMessageClaimRow>(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::timestamptz[])
           AS t(device_id, message_id, content_hash, measured_at)
       ), claimed AS (
         INSERT INTO device_messages (device_id, message_id, content_hash, measured_at, batch_id)
         SELECT device_id, message_id, content_hash, measured_at, $5::uuid FROM input
         ON CONFLICT (device_id, message_id) DO NOTHING
         RETURNING device_id, message_id
       )
       SELECT i.device_id AS "deviceId", i.message_id AS "messageId", c.device_id IS NOT NULL AS claimed,
              d.content_hash AS "existingHash"
       FROM input i
       LEFT JOIN claimed c ON c.device_id = i.device_id AND c.message_id = i.message_id
       LEFT JOIN device_messages d ON d.device_id = i.device_id AND d.message_id = i.message_id`,
      [
        messages.map((m) => m.deviceId),
        messages.map((m) => m.messageId),
        messages.map((m) => m.contentHash),
        messages.map((m) => m.measuredAt),
        batchId,
      ],
    );
    return rows;
  }
}
