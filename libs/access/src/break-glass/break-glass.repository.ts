import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { BreakGlassGrantRow, BreakGlassListRow } from './break-glass.rows';

const COLUMNS = `g.id, g.organization_id AS "organizationId", g.patient_id AS "patientId", g.user_id AS "userId",
  g.reason, g.granted_at AS "grantedAt", g.expires_at AS "expiresAt"`;

/** `break_glass_grants`; patients, users and care teams are read to keep a grant in its organisation and announce it. */
@Injectable()
export class BreakGlassRepository {
  constructor(private readonly db: Database) {}

  /**
   * Grants `userId` the patient for `minutes`, when the patient is of `organizationId`;
   * undefined otherwise. Break-glass is what reaches past the care-team scope, so the patient
   * is looked up in the whole organisation.
   */
  async insert(
    grant: { organizationId: string; patientId: string; userId: string; reason: string; minutes: number },
    q: Queryable = this.db,
  ): Promise<BreakGlassGrantRow | undefined> {
    const { rows } = await q.query<BreakGlassGrantRow>(
      `WITH g AS (
         INSERT INTO break_glass_grants (organization_id, patient_id, user_id, reason, granted_at, expires_at)
         SELECT p.organization_id, p.id, $3, $4, now(), now() + make_interval(mins => $5)
         FROM patients p WHERE p.id = $1 AND p.organization_id = $2
         RETURNING *
       )
       SELECT ${COLUMNS} FROM g`,
      [grant.patientId, grant.organizationId, grant.userId, grant.reason, grant.minutes],
    );
    return rows[0];
  }

  /** The enabled members of the patient's care teams, other than `exceptUserId`. */
  async careTeamMemberIds(
    patientId: string,
    exceptUserId: string,
    q: Queryable = this.db,
  ): Promise<string[]> {
    const { rows } = await q.query<{ userId: string }>(
      `SELECT DISTINCT ctm.user_id AS "userId"
       FROM care_team_patients ctp
       JOIN care_team_members ctm ON ctm.care_team_id = ctp.care_team_id
       JOIN users u ON u.id = ctm.user_id AND u.disabled_at IS NULL
       WHERE ctp.patient_id = $1 AND ctm.user_id <> $2
       ORDER BY 1`,
      [patientId, exceptUserId],
    );
    return rows.map((row) => row.userId);
  }

  /** The organisation's grants, newest first. */
  async list(organizationId: string, page: { limit: number; offset: number }): Promise<BreakGlassListRow[]> {
    const { rows } = await this.db.query<BreakGlassListRow>(
      `SELECT ${COLUMNS}, u.display_name AS "userName", p.given_name || ' ' || p.family_name AS "patientName",
              g.expires_at > now() AS active
       FROM break_glass_grants g
       JOIN users u ON u.id = g.user_id
       JOIN patients p ON p.id = g.patient_id
       WHERE g.organization_id = $1
       ORDER BY g.granted_at DESC, g.id DESC
       LIMIT $2 OFFSET $3`,
      [organizationId, page.limit, page.offset],
    );
    return rows;
  }

  /** The display name of a user, for the announcement. */
  async userName(userId: string, q: Queryable = this.db): Promise<string> {
    const { rows } = await q.query<{ name: string }>('SELECT display_name AS name FROM users WHERE id = $1', [
      userId,
    ]);
    return rows[0]?.name ?? '';
  }
}
