import { Injectable } from '@nestjs/common';
import type { VisitStatus } from '@homeward/contracts';
import type { PatientScope } from '@homeward/access';
import { Database, type Queryable } from '@homeward/platform';
import type { NewVisitRow, VisitRow } from '../telehealth.rows';

const VISIT_COLUMNS = `id, organization_id AS "organizationId", patient_id AS "patientId", alert_id AS "alertId",
  created_by AS "createdBy", room_name AS "roomName", status, scheduled_for AS "scheduledFor",
  started_at AS "startedAt", ended_at AS "endedAt", staff_joined_at AS "staffJoinedAt", notes,
  notes_updated_at AS "notesUpdatedAt", notes_updated_by AS "notesUpdatedBy",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface VisitListFilter {
  patientId?: string;
  alertId?: string;
  status?: VisitStatus;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** Visits (`visits`): one per LiveKit room. */
@Injectable()
export class VisitRepository {
  constructor(private readonly db: Database) {}

  async insert(visit: NewVisitRow, q: Queryable): Promise<VisitRow> {
    const { rows } = await q.query<VisitRow>(
      `INSERT INTO visits (id, organization_id, patient_id, alert_id, created_by, room_name, scheduled_for)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${VISIT_COLUMNS}`,
      [
        visit.id,
        visit.organizationId,
        visit.patientId,
        visit.alertId,
        visit.createdBy,
        visit.roomName,
        visit.scheduledFor,
      ],
    );
    return rows[0];
  }

  async findInScope(scope: PatientScope, id: string, q: Queryable = this.db): Promise<VisitRow | undefined> {
    const params: unknown[] = [id];
    const { rows } = await q.query<VisitRow>(
      `SELECT ${VISIT_COLUMNS} FROM visits WHERE ${scope.sql(params)} AND id = $1`,
      params,
    );
    return rows[0];
  }

  /** The visit in scope, locked until the transaction ends. */
  async findInScopeForUpdate(scope: PatientScope, id: string, q: Queryable): Promise<VisitRow | undefined> {
    const params: unknown[] = [id];
    const { rows } = await q.query<VisitRow>(
      `SELECT ${VISIT_COLUMNS} FROM visits WHERE ${scope.sql(params)} AND id = $1 FOR UPDATE`,
      params,
    );
    return rows[0];
  }

  async findForUpdate(id: string, q: Queryable): Promise<VisitRow | undefined> {
    const { rows } = await q.query<VisitRow>(`SELECT ${VISIT_COLUMNS} FROM visits WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0];
  }

  async findByRoomForUpdate(roomName: string, q: Queryable): Promise<VisitRow | undefined> {
    const { rows } = await q.query<VisitRow>(
      `SELECT ${VISIT_COLUMNS} FROM visits WHERE room_name = $1 FOR UPDATE`,
      [roomName],
    );
    return rows[0];
  }

  /** Newest first. */
  async list(scope: PatientScope, filter: VisitListFilter): Promise<VisitRow[]> {
    const params: unknown[] = [
      filter.patientId ?? null,
      filter.alertId ?? null,
      filter.status ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.limit,
      filter.offset,
    ];
    const { rows } = await this.db.query<VisitRow>(
      `SELECT ${VISIT_COLUMNS} FROM visits
       WHERE ${scope.sql(params)}
         AND ($1::uuid IS NULL OR patient_id = $1)
         AND ($2::uuid IS NULL OR alert_id = $2)
         AND ($3::text IS NULL OR status = $3)
         AND ($4::timestamptz IS NULL OR COALESCE(scheduled_for, created_at) >= $4)
         AND ($5::timestamptz IS NULL OR COALESCE(scheduled_for, created_at) < $5)
       ORDER BY visits.created_at DESC, visits.id DESC
       LIMIT $6 OFFSET $7`,
      params,
    );
    return rows;
  }

  /** Sets the state; the times are set once (a later value never replaces an earlier one). */
  async update(
    change: {
      id: string;
      status: VisitStatus;
      startedAt?: Date | null;
      endedAt?: Date | null;
      staffJoinedAt?: Date | null;
    },
    q: Queryable,
  ): Promise<VisitRow> {
    const { rows } = await q.query<VisitRow>(
      `UPDATE visits SET status = $2,
         started_at = LEAST(started_at, $3::timestamptz), ended_at = COALESCE(ended_at, $4::timestamptz),
         staff_joined_at = LEAST(staff_joined_at, $5::timestamptz), updated_at = now()
       WHERE id = $1 RETURNING ${VISIT_COLUMNS}`,
      [
        change.id,
        change.status,
        change.startedAt ?? null,
        change.endedAt ?? null,
        change.staffJoinedAt ?? null,
      ],
    );
    return rows[0];
  }

  async setNotes(change: { id: string; notes: string; userId: string }, q: Queryable): Promise<VisitRow> {
    const { rows } = await q.query<VisitRow>(
      `UPDATE visits SET notes = $2, notes_updated_at = now(), notes_updated_by = $3, updated_at = now()
       WHERE id = $1 RETURNING ${VISIT_COLUMNS}`,
      [change.id, change.notes, change.userId],
    );
    return rows[0];
  }

  /** Scheduled visits past their no-show deadline (the sweep's candidates; the service re-checks each). */
  async listOverdueScheduled(noShowMinutes: number, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM visits
       WHERE status = 'scheduled'
         AND LEAST(COALESCE(scheduled_for, created_at), COALESCE(staff_joined_at, 'infinity'::timestamptz))
             + make_interval(mins => $1) <= now()
       ORDER BY created_at LIMIT $2`,
      [noShowMinutes, limit],
    );
    return rows.map((row) => row.id);
  }
}
