import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { EscalationPolicy, EscalationStep } from './escalation-plan';
import type {
  EscalationPolicyRow,
  OnCallShiftRow,
  PendingEscalationRow,
  PlannedEscalationRow,
} from './escalation.rows';

const SHIFT_COLUMNS = `s.id, s.organization_id AS "organizationId", s.user_id AS "userId", s.starts_at AS "startsAt",
  s.ends_at AS "endsAt", (u.disabled_at IS NULL) AS "userActive"`;

/** Escalation policies, the on-call roster and the escalation steps of alerts. */
@Injectable()
export class EscalationRepository {
  constructor(private readonly db: Database) {}

  async findPolicy(organizationId: string, q: Queryable = this.db): Promise<EscalationPolicyRow | undefined> {
    const { rows } = await q.query<EscalationPolicyRow>(
      `SELECT organization_id AS "organizationId", first_after_seconds AS "firstAfterSeconds",
              then_after_seconds AS "thenAfterSeconds", updated_by AS "updatedBy", updated_at AS "updatedAt"
       FROM escalation_policies WHERE organization_id = $1`,
      [organizationId],
    );
    return rows[0];
  }

  async upsertPolicy(
    organizationId: string,
    policy: EscalationPolicy,
    updatedBy: string,
    q: Queryable,
  ): Promise<EscalationPolicyRow> {
    const { rows } = await q.query<EscalationPolicyRow>(
      `INSERT INTO escalation_policies (organization_id, first_after_seconds, then_after_seconds, updated_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (organization_id) DO UPDATE
         SET first_after_seconds = EXCLUDED.first_after_seconds, then_after_seconds = EXCLUDED.then_after_seconds,
             updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING organization_id AS "organizationId", first_after_seconds AS "firstAfterSeconds",
                 then_after_seconds AS "thenAfterSeconds", updated_by AS "updatedBy", updated_at AS "updatedAt"`,
      [organizationId, policy.firstAfterSeconds, policy.thenAfterSeconds, updatedBy],
    );
    return rows[0];
  }

  /** The organisation's shifts that have not ended, earliest first (at most `limit`). */
  async listCurrentShifts(
    organizationId: string,
    limit: number,
    q: Queryable = this.db,
  ): Promise<OnCallShiftRow[]> {
    const { rows } = await q.query<OnCallShiftRow>(
      `SELECT ${SHIFT_COLUMNS} FROM on_call_shifts s JOIN users u ON u.id = s.user_id
       WHERE s.organization_id = $1 AND s.ends_at > now()
       ORDER BY s.starts_at, s.id LIMIT $2`,
      [organizationId, limit],
    );
    return rows;
  }

  /** The shifts covering the database's now. */
  async listShiftsCoveringNow(organizationId: string, q: Queryable = this.db): Promise<OnCallShiftRow[]> {
    const { rows } = await q.query<OnCallShiftRow>(
      `SELECT ${SHIFT_COLUMNS} FROM on_call_shifts s JOIN users u ON u.id = s.user_id
       WHERE s.organization_id = $1 AND s.starts_at <= now() AND s.ends_at > now()`,
      [organizationId],
    );
    return rows;
  }

  /** Replaces the organisation's roster from now on: shifts that have not ended give way to `shifts`. */
  async replaceCurrentShifts(
    organizationId: string,
    shifts: ReadonlyArray<{ userId: string; startsAt: Date; endsAt: Date }>,
    createdBy: string,
    q: Queryable,
  ): Promise<void> {
    await q.query('DELETE FROM on_call_shifts WHERE organization_id = $1 AND ends_at > now()', [
      organizationId,
    ]);
    if (shifts.length === 0) return;
    await q.query(
      `INSERT INTO on_call_shifts (organization_id, user_id, starts_at, ends_at, created_by)
       SELECT $1, s.user_id, s.starts_at, s.ends_at, $5
       FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[]) AS s(user_id, starts_at, ends_at)`,
      [
        organizationId,
        shifts.map((shift) => shift.userId),
        shifts.map((shift) => shift.startsAt),
        shifts.map((shift) => shift.endsAt),
        createdBy,
      ],
    );
  }

  /**
   * Plans an alert's steps, each `afterSeconds` from now; a step planned (or taken) before is
   * kept as it is. Returns the steps it planned.
   */
  async planSteps(
    alert: { id: string; organizationId: string },
    steps: ReadonlyArray<{ step: EscalationStep; afterSeconds: number }>,
    q: Queryable = this.db,
  ): Promise<PlannedEscalationRow[]> {
    const { rows } = await q.query<PlannedEscalationRow>(
      `INSERT INTO alert_escalations (alert_id, step, organization_id, due_at)
       SELECT $1, s.step, $2, now() + make_interval(secs => s.after_seconds)
       FROM unnest($3::smallint[], $4::integer[]) AS s(step, after_seconds)
       ON CONFLICT (alert_id, step) DO NOTHING
       RETURNING step, (extract(epoch FROM due_at - now()) * 1000)::float8 AS "delayMs"`,
      [alert.id, alert.organizationId, steps.map((s) => s.step), steps.map((s) => s.afterSeconds)],
    );
    return rows;
  }

  /**
   * Plans the steps of critical alerts awaiting acknowledgement that changed within the last
   * `withinSeconds` and have none: the alerts whose planning a crash between their commit and
   * the scheduler lost. Counted from the alert's last change, so a late plan errs early.
   */
  async planMissing(
    defaults: EscalationPolicy,
    withinSeconds: number,
    limit: number,
  ): Promise<Array<{ alertId: string; step: EscalationStep }>> {
    const { rows } = await this.db.query<{ alertId: string; step: EscalationStep }>(
      `INSERT INTO alert_escalations (alert_id, step, organization_id, due_at)
       SELECT a.id, s.step, a.organization_id,
              a.updated_at + make_interval(secs => COALESCE(p.first_after_seconds, $1)
                + CASE WHEN s.step = 2 THEN COALESCE(p.then_after_seconds, $2) ELSE 0 END)
       FROM alerts a
       CROSS JOIN (VALUES (1::smallint), (2::smallint)) AS s(step)
       LEFT JOIN escalation_policies p ON p.organization_id = a.organization_id
       WHERE a.severity = 'critical' AND a.status IN ('open', 'escalated')
         AND a.updated_at > now() - make_interval(secs => $3)
         AND NOT EXISTS (SELECT 1 FROM alert_escalations e WHERE e.alert_id = a.id AND e.step = s.step)
       LIMIT $4
       ON CONFLICT (alert_id, step) DO NOTHING
       RETURNING alert_id AS "alertId", step`,
      [defaults.firstAfterSeconds, defaults.thenAfterSeconds, withinSeconds, limit],
    );
    return rows;
  }

  /** Pending steps already due, most overdue first: their jobs may have been lost. */
  async listDue(limit: number): Promise<PendingEscalationRow[]> {
    const { rows } = await this.db.query<PendingEscalationRow>(
      `SELECT alert_id AS "alertId", step, organization_id AS "organizationId", due_at AS "dueAt"
       FROM alert_escalations WHERE status = 'pending' AND due_at <= now()
       ORDER BY due_at LIMIT $1`,
      [limit],
    );
    return rows;
  }

  /**
   * The alert's pending steps up to `step`, locked until the transaction ends, with whether
   * each is due by the database's clock.
   */
  async lockPendingUpTo(
    alertId: string,
    step: EscalationStep,
    q: Queryable,
  ): Promise<Array<PendingEscalationRow & { due: boolean }>> {
    const { rows } = await q.query<PendingEscalationRow & { due: boolean }>(
      `SELECT alert_id AS "alertId", step, organization_id AS "organizationId", due_at AS "dueAt",
              due_at <= now() AS due
       FROM alert_escalations WHERE alert_id = $1 AND step <= $2 AND status = 'pending'
       ORDER BY step FOR UPDATE`,
      [alertId, step],
    );
    return rows;
  }

  async markDone(
    alertId: string,
    step: EscalationStep,
    recipientUserId: string | null,
    q: Queryable,
  ): Promise<void> {
    await q.query(
      `UPDATE alert_escalations SET status = 'done', done_at = now(), recipient_user_id = $3
       WHERE alert_id = $1 AND step = $2`,
      [alertId, step, recipientUserId],
    );
  }

  /** Drops the alert's steps not yet taken (it was acknowledged or closed); returns which. */
  async deletePending(alertId: string, q: Queryable = this.db): Promise<EscalationStep[]> {
    const { rows } = await q.query<{ step: EscalationStep }>(
      `DELETE FROM alert_escalations WHERE alert_id = $1 AND status = 'pending' RETURNING step`,
      [alertId],
    );
    return rows.map((row) => row.step);
  }
}
