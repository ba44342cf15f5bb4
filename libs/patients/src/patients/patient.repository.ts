import { Injectable } from '@nestjs/common';
import { patientCareTeamIdsSql, type PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { PatientRow } from '../patients.rows';

const COLUMNS = `id, organization_id AS "organizationId", given_name AS "givenName", family_name AS "familyName",
  to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", time_zone AS "timeZone", phone, email, created_at AS "createdAt",
  ${patientCareTeamIdsSql('patients.id')} AS "careTeamIds"`;

@Injectable()
export class PatientRepository {
  constructor(private readonly db: Database) {}

  async create(
    patient: {
      organizationId: string;
      givenName: string;
      familyName: string;
      birthDate: string;
      timeZone?: string | null;
      phone?: string | null;
      email?: string | null;
      createdBy: string | null;
    },
    q: Queryable = this.db,
  ): Promise<PatientRow> {
    const { rows } = await q.query<PatientRow>(
      `INSERT INTO patients (organization_id, given_name, family_name, birth_date, created_by, time_zone, phone, email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        patient.organizationId,
        patient.givenName,
        patient.familyName,
        patient.birthDate,
        patient.createdBy,
        patient.timeZone ?? null,
        patient.phone ?? null,
        patient.email ?? null,
      ],
    );
    return rows[0];
  }

  /**
   * Sets the given contact fields of the patient in `scope` (a field left undefined keeps its
   * value, null clears it); undefined when there is no such patient in scope.
   */
  async updateContactInScope(
    scope: PatientScope,
    id: string,
    contact: { phone?: string | null; email?: string | null },
    q: Queryable = this.db,
  ): Promise<PatientRow | undefined> {
    const params: unknown[] = [
      id,
      contact.phone !== undefined,
      contact.phone ?? null,
      contact.email !== undefined,
      contact.email ?? null,
    ];
    const { rows } = await q.query<PatientRow>(
      `UPDATE patients
       SET phone = CASE WHEN $2 THEN $3 ELSE phone END, email = CASE WHEN $4 THEN $5 ELSE email END
       WHERE ${scope.sql(params, undefined, 'id')} AND id = $1 RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0];
  }

  /**
   * The demo patient marked `demoKey` in the organisation, created on first use. Only rows
   * carrying a demo key are ever returned, so a user's own patients are never taken for one.
   */
  async upsertDemo(patient: {
    organizationId: string;
    demoKey: string;
    givenName: string;
    familyName: string;
    birthDate: string;
    timeZone?: string;
    createdBy: string;
  }): Promise<PatientRow> {
    // DO UPDATE rather than DO NOTHING, so RETURNING also yields an existing row; a demo patient
    // from before time zones gets its zone, one set since keeps it.
    const { rows } = await this.db.query<PatientRow>(
      `INSERT INTO patients (organization_id, demo_key, given_name, family_name, birth_date, created_by, time_zone)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (organization_id, demo_key) WHERE demo_key IS NOT NULL
       DO UPDATE SET demo_key = EXCLUDED.demo_key, time_zone = COALESCE(patients.time_zone, EXCLUDED.time_zone)
       RETURNING ${COLUMNS}`,
      [
        patient.organizationId,
        patient.demoKey,
        patient.givenName,
        patient.familyName,
        patient.birthDate,
        patient.createdBy,
        patient.timeZone ?? null,
      ],
    );
    return rows[0];
  }

  /** The patient, only when it is in `scope`. */
  async findInScope(scope: PatientScope, id: string): Promise<PatientRow | undefined> {
    const params: unknown[] = [id];
    const { rows } = await this.db.query<PatientRow>(
      `SELECT ${COLUMNS} FROM patients WHERE ${scope.sql(params, undefined, 'id')} AND id = $1`,
      params,
    );
    return rows[0];
  }

  /** A page of the patients in `scope`; with `unassigned`, only those in no care team. */
  async listInScope(
    scope: PatientScope,
    page: { limit: number; offset: number; unassigned?: boolean },
  ): Promise<PatientRow[]> {
    const params: unknown[] = [page.limit, page.offset, page.unassigned ?? false];
    const { rows } = await this.db.query<PatientRow>(
      `SELECT ${COLUMNS} FROM patients WHERE ${scope.sql(params, undefined, 'id')}
         AND (NOT $3 OR NOT EXISTS (SELECT 1 FROM care_team_patients ctp WHERE ctp.patient_id = patients.id))
       ORDER BY family_name, given_name, id LIMIT $1 OFFSET $2`,
      params,
    );
    return rows;
  }

  /**
   * The ids of every patient in `scope` whose given or family name (or both, in either order)
   * contains `search`, case-insensitively; by family name, given name, id. Ids only: a list of
   * thousands is ranked before one page of it is shown (five columns more cost 13 ms at 5,000).
   */
  async searchIdsInScope(scope: PatientScope, search: string | undefined): Promise<string[]> {
    const pattern = search ? `%${escapeLike(search.trim())}%` : null;
    const params: unknown[] = [pattern];
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM patients
       WHERE ${scope.sql(params, undefined, 'id')}
         AND ($1::text IS NULL OR given_name ILIKE $1 OR family_name ILIKE $1
              OR given_name || ' ' || family_name ILIKE $1 OR family_name || ' ' || given_name ILIKE $1
              OR family_name || ', ' || given_name ILIKE $1)
       ORDER BY family_name, given_name, id`,
      params,
    );
    return rows.map((row) => row.id);
  }

  /** The patients among `ids` that are in `scope`, in no particular order. */
  async findManyInScope(scope: PatientScope, ids: readonly string[]): Promise<PatientRow[]> {
    if (ids.length === 0) return [];
    const params: unknown[] = [ids];
    const { rows } = await this.db.query<PatientRow>(
      `SELECT ${COLUMNS} FROM patients WHERE ${scope.sql(params, undefined, 'id')} AND id = ANY($1::uuid[])`,
      params,
    );
    return rows;
  }
}

/** `value` matched literally by LIKE: its wildcards and the escape character escaped. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
