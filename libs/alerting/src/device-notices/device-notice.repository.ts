import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';

/** Which notices a device has raised: one per device, kind and day in its patient's zone. */
@Injectable()
export class DeviceNoticeRepository {
  /**
   * Claims the notice of `kind` for the device on the patient's local day of `at`; the patient's
   * organisation when this claim is the first, undefined when the day's notice was claimed before.
   */
  async claim(
    notice: { deviceId: string; patientId: string; kind: string; at: Date; rejectionId: string },
    q: Queryable,
  ): Promise<{ organizationId: string } | undefined> {
    const { rows } = await q.query<{ organizationId: string }>(
      `WITH patient AS (SELECT organization_id, time_zone FROM patients WHERE id = $2::uuid)
       INSERT INTO device_notices (device_id, kind, day, rejection_id)
       SELECT $1::uuid, $3::text, ($4::timestamptz AT TIME ZONE coalesce(p.time_zone, 'UTC'))::date, $5::bigint
       FROM patient p
       ON CONFLICT DO NOTHING
       RETURNING (SELECT organization_id FROM patient) AS "organizationId"`,
      [notice.deviceId, notice.patientId, notice.kind, notice.at, notice.rejectionId],
    );
    return rows[0];
  }

  async setAlert(
    deviceId: string,
    kind: string,
    rejectionId: string,
    alertId: string,
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `UPDATE device_notices SET alert_id = $4 WHERE device_id = $1 AND kind = $2 AND rejection_id = $3`,
      [deviceId, kind, rejectionId, alertId],
    );
  }
}
