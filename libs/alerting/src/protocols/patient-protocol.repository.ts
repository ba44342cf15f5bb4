import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { ProtocolKey } from '../rules/protocols';

@Injectable()
export class PatientProtocolRepository {
  constructor(private readonly db: Database) {}

  /**
   * Replaces a patient's protocols with `keys`. A protocol the patient keeps keeps its `set_at`:
   * monitoring by its rules started then, and missed-reading rules count from it.
   */
  async replace(
    patient: { id: string; organizationId: string },
    keys: readonly ProtocolKey[],
    setBy: string,
    q: Queryable,
  ): Promise<void> {
    await q.query('DELETE FROM patient_protocols WHERE patient_id = $1 AND protocol_key <> ALL($2::text[])', [
      patient.id,
      keys,
    ]);
    if (keys.length === 0) return;
    await q.query(
      `INSERT INTO patient_protocols (patient_id, protocol_key, organization_id, set_by)
       SELECT $1, key, $2, $3 FROM unnest($4::text[]) AS key
       ON CONFLICT (patient_id, protocol_key) DO NOTHING`,
      [patient.id, patient.organizationId, setBy, keys],
    );
  }

  /** The protocol keys of each of `patientIds` that has any. */
  async forPatients(patientIds: readonly string[]): Promise<Map<string, ProtocolKey[]>> {
    const { rows } = await this.db.query<{ patientId: string; key: ProtocolKey }>(
      `SELECT patient_id AS "patientId", protocol_key AS key FROM patient_protocols
       WHERE patient_id = ANY($1::uuid[]) ORDER BY patient_id, protocol_key`,
      [patientIds],
    );
    const byPatient = new Map<string, ProtocolKey[]>();
    for (const row of rows) byPatient.set(row.patientId, [...(byPatient.get(row.patientId) ?? []), row.key]);
    return byPatient;
  }

  /** The protocols of every patient in `scope` that has any, with when each was set. */
  async inScope(scope: PatientScope): Promise<Map<string, Array<{ key: ProtocolKey; setAt: Date }>>> {
    const params: unknown[] = [];
    const { rows } = await this.db.query<{ patientId: string; key: ProtocolKey; setAt: Date }>(
      `SELECT patient_id AS "patientId", protocol_key AS key, set_at AS "setAt" FROM patient_protocols
       WHERE ${scope.sql(params)} ORDER BY patient_id, protocol_key`,
      params,
    );
    const byPatient = new Map<string, Array<{ key: ProtocolKey; setAt: Date }>>();
    for (const { patientId, key, setAt } of rows)
      byPatient.set(patientId, [...(byPatient.get(patientId) ?? []), { key, setAt }]);
    return byPatient;
  }
}
