import { Injectable } from '@nestjs/common';
import type { PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { CareTimeEntryRow, CareTimeKind } from '../care.rows';

const COLUMNS = `id, organization_id AS "organizationId", patient_id AS "patientId", kind, interactive,
  seconds, performed_at AS "performedAt", performed_by AS "performedBy", visit_id AS "visitId", note,
  created_at AS "createdAt", voided_at AS "voidedAt", voided_by AS "voidedBy", void_reason AS "voidReason"`;

export interface CareTimeEntryInsert {
  organizationId: string;
  patientId: string;
  kind: CareTimeKind;
  interactive: boolean;
  seconds: number;
  performedAt: Date;
  performedBy: string | null;
  visitId: string | null;
  note: string | null;
}

/** The care-time ledger: rows are inserted and voided, never edited or deleted. */
@Injectable()
export class CareTimeRepository {
  constructor(private readonly db: Database) {}

  /** The patient's entries performed in [from, to), voided ones included, oldest first. */
  async listBetween(
    scope: PatientScope,
    patientId: string,
    from: Date,
    to: Date,
  ): Promise<CareTimeEntryRow[]> {
    const params: unknown[] = [patientId, from, to];
    const { rows } = await this.db.query<CareTimeEntryRow>(
      `SELECT ${COLUMNS} FROM care_time_entries
       WHERE ${scope.sql(params)} AND patient_id = $1 AND performed_at >= $2 AND performed_at < $3
       ORDER BY performed_at, created_at, id`,
      params,
    );
    return rows;
  }

  /** Inserts the entry; undefined when it names a visit already in the ledger. */
  async insert(entry: CareTimeEntryInsert, q: Queryable): Promise<CareTimeEntryRow | undefined> {
    const { rows } = await q.query<CareTimeEntryRow>(
      `INSERT INTO care_time_entries
         (organization_id, patient_id, kind, interactive, seconds, performed_at, performed_by, visit_id, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (visit_id) WHERE visit_id IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        entry.organizationId,
        entry.patientId,
        entry.kind,
        entry.interactive,
        entry.seconds,
        entry.performedAt,
        entry.performedBy,
        entry.visitId,
        entry.note,
      ],
    );
    return rows[0];
  }

  /** Voids the entry if it is the patient's and not yet voided; undefined otherwise. */
  async void(
    scope: PatientScope,
    target: { patientId: string; entryId: string; voidedBy: string; reason: string },
    q: Queryable,
  ): Promise<CareTimeEntryRow | undefined> {
    const params: unknown[] = [target.patientId, target.entryId, target.voidedBy, target.reason];
    const { rows } = await q.query<CareTimeEntryRow>(
      `UPDATE care_time_entries SET voided_at = now(), voided_by = $3, void_reason = $4
       WHERE ${scope.sql(params)} AND patient_id = $1 AND id = $2 AND voided_at IS NULL
       RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0];
  }

  async find(
    scope: PatientScope,
    patientId: string,
    entryId: string,
    q: Queryable,
  ): Promise<CareTimeEntryRow | undefined> {
    const params: unknown[] = [patientId, entryId];
    const { rows } = await q.query<CareTimeEntryRow>(
      `SELECT ${COLUMNS} FROM care_time_entries WHERE ${scope.sql(params)} AND patient_id = $1 AND id = $2`,
      params,
    );
    return rows[0];
  }
}
