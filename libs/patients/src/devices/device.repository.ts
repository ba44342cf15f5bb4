import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/identity';
import { Database } from '@homeward/platform';
import type { DeviceCredentialRow, DeviceRouteRow, DeviceRow } from '../patients.rows';

const COLUMNS = `id, organization_id AS "organizationId", patient_id AS "patientId", kind, label,
  revoked_at AS "revokedAt", created_at AS "createdAt"`;

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
    const { rows } = await this.db.query<DeviceRow>(
      `SELECT ${COLUMNS} FROM devices WHERE organization_id = $1 AND patient_id = $2 ORDER BY created_at`,
      [scope.organizationId, patientId],
    );
    return rows;
  }

  async findCredential(id: string): Promise<DeviceCredentialRow | undefined> {
    const { rows } = await this.db.query<DeviceCredentialRow>(
      `SELECT id, secret_hash AS "secretHash", revoked_at AS "revokedAt" FROM devices WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** Patient and organisation of each active device among `ids`. */
  async findActiveRoutes(ids: string[]): Promise<DeviceRouteRow[]> {
    const { rows } = await this.db.query<DeviceRouteRow>(
      `SELECT id, patient_id AS "patientId", organization_id AS "organizationId"
       FROM devices WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL`,
      [ids],
    );
    return rows;
  }
}
