import { Injectable } from '@nestjs/common';
import type { ConsentScope } from '@homeward/contracts';
import { Database, type Queryable } from '@homeward/platform';
import type { PatientScope } from '../patient-scope';
import type { ConsentRow } from './consent.rows';

const COLUMNS = `c.id, c.organization_id AS "organizationId", c.patient_id AS "patientId", c.scope, c.status,
  c.method, c.given_at AS "givenAt", c.recorded_by AS "recordedBy", c.recorded_at AS "recordedAt",
  c.document_reference AS "documentReference", c.revoked_at AS "revokedAt", c.revoked_by AS "revokedBy",
  c.revoke_reason AS "revokeReason"`;

/** `patient_consents`; patients are read only to keep a consent to a patient in scope. */
@Injectable()
export class ConsentRepository {
  constructor(private readonly db: Database) {}

  /** Records a consent for the patient in `scope`; undefined when there is no such patient in scope. */
  async insertInScope(
    scope: PatientScope,
    consent: {
      patientId: string;
      scope: ConsentScope;
      method: string;
      givenAt: Date;
      recordedBy: string | null;
      documentReference: string | null;
    },
    q: Queryable = this.db,
  ): Promise<ConsentRow | undefined> {
    const params: unknown[] = [
      consent.patientId,
      consent.scope,
      consent.method,
      consent.givenAt,
      consent.recordedBy,
      consent.documentReference,
    ];
    const { rows } = await q.query<ConsentRow>(
      `WITH c AS (
         INSERT INTO patient_consents (organization_id, patient_id, scope, method, given_at, recorded_by,
                                       document_reference)
         SELECT p.organization_id, p.id, $2, $3, $4, $5, $6 FROM patients p
         WHERE p.id = $1 AND ${scope.sql(params, 'p', 'id')}
         RETURNING *
       )
       SELECT ${COLUMNS} FROM c`,
      params,
    );
    return rows[0];
  }

  /** The patient's consents, newest first; undefined when there is no such patient in scope. */
  async listInScope(scope: PatientScope, patientId: string): Promise<ConsentRow[] | undefined> {
    const params: unknown[] = [patientId];
    // One row per consent, or one row of nulls for a patient without any; none outside the scope.
    const { rows } = await this.db.query<ConsentRow>(
      `SELECT ${COLUMNS}
       FROM (SELECT id FROM patients p WHERE p.id = $1 AND ${scope.sql(params, 'p', 'id')}) p
       LEFT JOIN patient_consents c ON c.patient_id = p.id
       ORDER BY c.recorded_at DESC, c.id`,
      params,
    );
    if (rows.length === 0) return undefined;
    return rows.filter((row) => row.id !== null);
  }

  async findInScope(
    scope: PatientScope,
    patientId: string,
    consentId: string,
    q: Queryable = this.db,
  ): Promise<ConsentRow | undefined> {
    const params: unknown[] = [patientId, consentId];
    const { rows } = await q.query<ConsentRow>(
      `SELECT ${COLUMNS} FROM patient_consents c
       WHERE c.patient_id = $1 AND c.id = $2 AND ${scope.sql(params, 'c')}`,
      params,
    );
    return rows[0];
  }

  /** Revokes an active consent; undefined when it is not there in scope or no longer active. */
  async revokeInScope(
    scope: PatientScope,
    revocation: { patientId: string; consentId: string; revokedBy: string; reason: string },
    q: Queryable = this.db,
  ): Promise<ConsentRow | undefined> {
    const params: unknown[] = [
      revocation.patientId,
      revocation.consentId,
      revocation.revokedBy,
      revocation.reason,
    ];
    const { rows } = await q.query<ConsentRow>(
      `WITH c AS (
         UPDATE patient_consents c
         SET status = 'revoked', revoked_at = now(), revoked_by = $3, revoke_reason = $4
         WHERE c.patient_id = $1 AND c.id = $2 AND c.status = 'active' AND ${scope.sql(params, 'c')}
         RETURNING *
       )
       SELECT ${COLUMNS} FROM c`,
      params,
    );
    return rows[0];
  }

  async hasActive(patientId: string, scope: ConsentScope, q: Queryable = this.db): Promise<boolean> {
    const { rows } = await q.query<{ active: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM patient_consents
                      WHERE patient_id = $1 AND scope = $2 AND status = 'active') AS active`,
      [patientId, scope],
    );
    return rows[0].active;
  }
}
