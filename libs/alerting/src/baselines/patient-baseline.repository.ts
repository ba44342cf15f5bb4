import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { PatientBaselines } from '../rules/rule-definition';

/** One version of a patient's baselines; `dryWeightKg` null: cleared (or never set) by this version. */
export interface PatientBaselineVersionRow {
  version: number;
  dryWeightKg: number | null;
  /** The clinician who decided the value. */
  setBy: string | null;
  setByName: string | null;
  note: string | null;
  createdBy: string;
  createdAt: Date;
}

// numeric comes back from pg as a string; float8 is exact for two decimals up to 500.
const COLUMNS = `b.version, b.dry_weight_kg::float8 AS "dryWeightKg", b.set_by AS "setBy",
  u.display_name AS "setByName", b.note, b.created_by AS "createdBy", b.created_at AS "createdAt"`;

@Injectable()
export class PatientBaselineRepository {
  constructor(private readonly db: Database) {}

  /** The baselines in force of each of `patientIds` that has any, in catalogue units. */
  async inForce(patientIds: readonly string[]): Promise<Map<string, PatientBaselines>> {
    const { rows } = await this.db.query<{ patientId: string; dryWeightKg: number }>(
      `SELECT * FROM (
         SELECT DISTINCT ON (patient_id) patient_id AS "patientId", dry_weight_kg::float8 AS "dryWeightKg"
         FROM patient_baselines WHERE patient_id = ANY($1::uuid[])
         ORDER BY patient_id, version DESC) latest
       WHERE "dryWeightKg" IS NOT NULL`,
      [patientIds],
    );
    return new Map(rows.map((row) => [row.patientId, { dry_weight: row.dryWeightKg }]));
  }

  /**
   * Appends the patient's next version. Locks the patient's versions first, so two changes at
   * once get consecutive versions instead of colliding on the primary key.
   */
  async append(
    change: {
      organizationId: string;
      patientId: string;
      dryWeightKg: number | null;
      setBy: string;
      note: string | null;
      createdBy: string;
    },
    q: Queryable,
  ): Promise<void> {
    await q.query("SELECT pg_advisory_xact_lock(hashtext('patient_baselines:' || $1::text))", [
      change.patientId,
    ]);
    await q.query(
      `INSERT INTO patient_baselines (organization_id, patient_id, version, dry_weight_kg, set_by, note, created_by)
       SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5, $6
       FROM patient_baselines WHERE patient_id = $2`,
      [
        change.organizationId,
        change.patientId,
        change.dryWeightKg,
        change.setBy,
        change.note,
        change.createdBy,
      ],
    );
  }

  /** Every version of the patient's baselines, newest first. */
  async versions(patientId: string): Promise<PatientBaselineVersionRow[]> {
    const { rows } = await this.db.query<PatientBaselineVersionRow>(
      `SELECT ${COLUMNS} FROM patient_baselines b LEFT JOIN users u ON u.id = b.set_by
       WHERE b.patient_id = $1 ORDER BY b.version DESC`,
      [patientId],
    );
    return rows;
  }
}
