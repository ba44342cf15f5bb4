import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { NewDeviceStatusRow } from '../monitoring.rows';

@Injectable()
export class DeviceStatusRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records each device's reported status. The latest `reportedAt` wins: an older status (a
   * redelivery, messages out of order) only marks the device as heard from. Fields a status
   * leaves out keep their last reported value. At most one status per device in `statuses`.
   */
  async upsertMany(statuses: NewDeviceStatusRow[], q: Queryable = this.db): Promise<void> {
    if (statuses.length === 0) return;
    await q.query(
      `INSERT INTO device_status AS s
         (device_id, message_id, reported_at, firmware_version, battery_level, signal_strength)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::smallint[], $6::smallint[])
       ON CONFLICT (device_id) DO UPDATE SET
         received_at = now(),
         message_id = CASE WHEN EXCLUDED.reported_at > s.reported_at THEN EXCLUDED.message_id ELSE s.message_id END,
         firmware_version = CASE WHEN EXCLUDED.reported_at > s.reported_at
           THEN coalesce(EXCLUDED.firmware_version, s.firmware_version) ELSE s.firmware_version END,
         battery_level = CASE WHEN EXCLUDED.reported_at > s.reported_at
           THEN coalesce(EXCLUDED.battery_level, s.battery_level) ELSE s.battery_level END,
         signal_strength = CASE WHEN EXCLUDED.reported_at > s.reported_at
           THEN coalesce(EXCLUDED.signal_strength, s.signal_strength) ELSE s.signal_strength END,
         reported_at = greatest(EXCLUDED.reported_at, s.reported_at)`,
      [
        statuses.map((s) => s.deviceId),
        statuses.map((s) => s.messageId),
        statuses.map((s) => s.reportedAt),
        statuses.map((s) => s.firmwareVersion),
        statuses.map((s) => s.batteryLevel),
        statuses.map((s) => s.signalStrength),
      ],
    );
  }
}
