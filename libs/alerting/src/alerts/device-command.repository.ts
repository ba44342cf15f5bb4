import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { DeviceCommandRow } from '../alerting.rows';

const COLUMNS = `id, device_id AS "deviceId", alert_id AS "alertId", command, payload, expires_at AS "expiresAt"`;

/** Commands to devices: written with the decision that needs them, marked once a broker took them. */
@Injectable()
export class DeviceCommandRepository {
  constructor(private readonly db: Database) {}

  async insert(
    command: Omit<DeviceCommandRow, 'id'> & { id: string },
    q: Queryable,
  ): Promise<DeviceCommandRow> {
    const { rows } = await q.query<DeviceCommandRow>(
      `INSERT INTO device_commands (id, device_id, alert_id, command, payload, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${COLUMNS}`,
      [
        command.id,
        command.deviceId,
        command.alertId,
        command.command,
        JSON.stringify(command.payload),
        command.expiresAt,
      ],
    );
    return rows[0];
  }

  async markSent(id: string): Promise<void> {
    await this.db.query('UPDATE device_commands SET sent_at = now() WHERE id = $1 AND sent_at IS NULL', [id]);
  }

  /** Commands no broker took, older than `olderThanMs` and not yet expired: the sweep sends them again. */
  async listUnsent(olderThanMs: number, limit: number): Promise<DeviceCommandRow[]> {
    const { rows } = await this.db.query<DeviceCommandRow>(
      `SELECT ${COLUMNS} FROM device_commands
       WHERE sent_at IS NULL AND expires_at > now() AND created_at <= now() - make_interval(secs => $1::double precision / 1000)
       ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows;
  }
}
