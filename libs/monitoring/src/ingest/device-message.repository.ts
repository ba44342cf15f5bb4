import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { DeviceContactRow, DeviceMessageKey, DeviceMessageHashRow } from '../monitoring.rows';

@Injectable()
export class DeviceMessageRepository {
  constructor(private readonly db: Database) {}

  /** The contents hashes stored for already-claimed keys (null where stored before the ledger). */
  async findHashes(keys: DeviceMessageKey[], q: Queryable = this.db): Promise<DeviceMessageHashRow[]> {
    if (keys.length === 0) return [];
    const { rows } = await q.query<DeviceMessageHashRow>(
      `SELECT d.device_id AS "deviceId", d.message_id AS "messageId", d.content_hash AS "contentHash"
       FROM unnest($1::uuid[], $2::text[]) AS k(device_id, message_id)
       JOIN device_messages d ON d.device_id = k.device_id AND d.message_id = k.message_id`,
      [keys.map((k) => k.deviceId), keys.map((k) => k.messageId)],
    );
    return rows;
  }

  /**
   * When each of `deviceIds` last had a message stored; devices never heard from are absent.
   * Reads each device's ledger rows through the primary key's device prefix (about 1,500 a year
   * for a device measuring four times a day) rather than adding an index to the ingest hot path.
   */
  async lastContact(deviceIds: readonly string[]): Promise<DeviceContactRow[]> {
    if (deviceIds.length === 0) return [];
    const { rows } = await this.db.query<DeviceContactRow>(
      `SELECT device_id AS "deviceId", max(received_at) AS "lastReceivedAt", max(measured_at) AS "lastMeasuredAt",
              max(received_at) FILTER (WHERE clock_suspect) AS "clockSuspectSeenAt"
       FROM device_messages WHERE device_id = ANY($1::uuid[]) GROUP BY device_id`,
      [deviceIds],
    );
    return rows;
  }
}
