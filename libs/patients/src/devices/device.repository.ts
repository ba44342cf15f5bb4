import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { DeviceCredentialRow, DeviceRouteRow, DeviceRow, DeviceViewRow } from '../patients.rows';

const COLUMNS = `id, organization_id AS "organizationId", patient_id AS "patientId", kind, label,
  revoked_at AS "revokedAt", deactivated_reason AS "deactivatedReason", created_at AS "createdAt"`;

/**
 * A device with its status record and last contact. The ledger of stored messages and the status
 * table belong to monitoring, which depends on this domain; read here (never written) so device
 * lists filter and page by status in one query. The ledger is read through its primary key's
 * device prefix, as monitoring's own last-contact query does.
 */
const VIEW = `
  SELECT d.id, d.organization_id AS "organizationId", d.patient_id AS "patientId", d.kind, d.label,
    d.revoked_at AS "revokedAt", d.deactivated_reason AS "deactivatedReason", d.created_at AS "createdAt",
    greatest(m.last_received_at, s.received_at) AS "lastSeenAt",
    s.firmware_version AS "firmwareVersion", s.battery_level AS "batteryLevel",
    s.signal_strength AS "signalStrength", s.reported_at AS "statusReportedAt",
    m.clock_suspect_at AS "clockSuspectSeenAt",
    coalesce(m.clock_suspect_at >= m.last_received_at, false) AS "clockSuspect"
  FROM devices d
  LEFT JOIN device_status s ON s.device_id = d.id
  LEFT JOIN LATERAL (
    SELECT max(received_at) AS last_received_at,
      max(received_at) FILTER (WHERE clock_suspect) AS clock_suspect_at
    FROM device_messages WHERE device_id = d.id
  ) m ON true`;

/** Which devices a list shows: `offline` and `active` split the active ones at `silentSince`. */
export interface DeviceListFilter {
  patientId?: string;
  status?: 'active' | 'offline' | 'deactivated';
  /** Active devices last heard from (or, never heard from, registered) before this are offline. */
  silentSince: Date;
}

@Injectable()
export class DeviceRepository {
  constructor(private readonly db: Database) {}

  async create(device: {
    organizationId: string;
    patientId: string;
    kind: string;
    label: string | null;
    secretHash: Buffer;
  }): Promise<DeviceRow> {
    const { rows } = await this.db.query<DeviceRow>(
      `INSERT INTO devices (organization_id, patient_id, kind, label, secret_hash)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [device.organizationId, device.patientId, device.kind, device.label, device.secretHash],
    );
    return rows[0];
  }

  /** Removes a device that never went into service (its registration failed). */
  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM devices WHERE id = $1`, [id]);
  }

  async listForPatient(scope: PatientScope, patientId: string): Promise<DeviceRow[]> {
    const params: unknown[] = [patientId];
    const { rows } = await this.db.query<DeviceRow>(
      `SELECT ${COLUMNS} FROM devices WHERE ${scope.sql(params)} AND patient_id = $1 ORDER BY created_at`,
      params,
    );
    return rows;
  }

  /** The scope's devices in registration order, filtered and paged. */
  async listInScope(
    scope: PatientScope,
    filter: DeviceListFilter,
    page: { limit: number; offset: number },
  ): Promise<DeviceViewRow[]> {
    const params: unknown[] = [
      filter.patientId ?? null,
      filter.status ?? null,
      filter.silentSince,
      page.limit,
      page.offset,
    ];
    const { rows } = await this.db.query<DeviceViewRow>(
      `SELECT * FROM (${VIEW} WHERE ${scope.sql(params, 'd')} AND ($1::uuid IS NULL OR d.patient_id = $1)) v
       WHERE CASE $2::text
         WHEN 'deactivated' THEN v."revokedAt" IS NOT NULL
         WHEN 'offline' THEN v."revokedAt" IS NULL AND coalesce(v."lastSeenAt", v."createdAt") < $3
         WHEN 'active' THEN v."revokedAt" IS NULL AND coalesce(v."lastSeenAt", v."createdAt") >= $3
         ELSE true END
       ORDER BY v."createdAt", v.id LIMIT $4 OFFSET $5`,
      params,
    );
    return rows;
  }

  async findInScope(scope: PatientScope, id: string): Promise<DeviceViewRow | undefined> {
    const params: unknown[] = [id];
    const { rows } = await this.db.query<DeviceViewRow>(
      `${VIEW} WHERE ${scope.sql(params, 'd')} AND d.id = $1`,
      params,
    );
    return rows[0];
  }

  /** Marks an active device deactivated; undefined when it was not active. */
  async deactivate(
    id: string,
    reason: string | null,
    q: Queryable = this.db,
  ): Promise<DeviceRow | undefined> {
    const { rows } = await q.query<DeviceRow>(
      `UPDATE devices SET revoked_at = now(), deactivated_reason = $2
       WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id, reason],
    );
    return rows[0];
  }

  /** Marks a deactivated device active; undefined when it was not deactivated. */
  async reactivate(id: string, q: Queryable = this.db): Promise<DeviceRow | undefined> {
    const { rows } = await q.query<DeviceRow>(
      `UPDATE devices SET revoked_at = NULL, deactivated_reason = NULL
       WHERE id = $1 AND revoked_at IS NOT NULL RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  async setSecretHash(id: string, secretHash: Buffer, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE devices SET secret_hash = $2 WHERE id = $1`, [id, secretHash]);
  }

  /** Moves the device, when it is in `scope`, to another patient; stored readings keep theirs. */
  async reassign(scope: PatientScope, id: string, patientId: string, q: Queryable = this.db): Promise<void> {
    const params: unknown[] = [id, patientId];
    await q.query(`UPDATE devices SET patient_id = $2 WHERE id = $1 AND ${scope.sql(params)}`, params);
  }

  /** Ids of every active device, for bringing their broker rules up to date. */
  async listActiveIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM devices WHERE revoked_at IS NULL ORDER BY created_at`,
    );
    return rows.map((row) => row.id);
  }

  async findCredential(id: string): Promise<DeviceCredentialRow | undefined> {
    const { rows } = await this.db.query<DeviceCredentialRow>(
      `SELECT id, secret_hash AS "secretHash", revoked_at AS "revokedAt" FROM devices WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /**
   * Patient and organisation of each registered device among `ids`, with when it was
   * deactivated (null while active): ingest rejects a deactivated device's messages by name.
   */
  async findRoutes(ids: string[]): Promise<DeviceRouteRow[]> {
    const { rows } = await this.db.query<
      Omit<DeviceRouteRow, 'assignments'> & { assignedPatients: string[]; assignedAt: Date[] }
    >(
      `SELECT d.id, d.patient_id AS "patientId", d.organization_id AS "organizationId",
         d.revoked_at AS "deactivatedAt", p.time_zone AS "timeZone",
         array_agg(a.patient_id ORDER BY a.assigned_at) AS "assignedPatients",
         array_agg(a.assigned_at ORDER BY a.assigned_at) AS "assignedAt"
       FROM devices d JOIN device_assignments a ON a.device_id = d.id
       JOIN patients p ON p.id = d.patient_id
       WHERE d.id = ANY($1::uuid[])
       GROUP BY d.id, p.time_zone`,
      [ids],
    );
    return rows.map(({ assignedPatients, assignedAt, ...route }) => ({
      ...route,
      assignments: assignedPatients.map((patientId, i) => ({ patientId, assignedAt: assignedAt[i] })),
    }));
  }

  /** Changes whenever any device's patient or deactivation does (a trigger keeps it). */
  async routesVersion(q: Queryable = this.db): Promise<string> {
    const { rows } = await q.query<{ version: string }>('SELECT version FROM device_route_changes');
    return rows[0].version;
  }
}
