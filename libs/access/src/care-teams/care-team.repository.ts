import { Injectable } from '@nestjs/common';
import { ACTIVE_ALERT_STATUSES } from '@homeward/contracts';
import { Database, type Queryable } from '@homeward/platform';
import type { PatientScope } from '../patient-scope';
import type { CareTeamListRow, CareTeamRow } from './care-team.rows';

const COLUMNS = `t.id, t.organization_id AS "organizationId", t.name, t.created_at AS "createdAt"`;

/** Care teams, their members and their patients: the tables the care-team scope reads. */
@Injectable()
export class CareTeamRepository {
  constructor(private readonly db: Database) {}

  /** The new team; undefined when the organisation already has one of that name (any case). */
  async create(
    team: { organizationId: string; name: string; createdBy: string | null },
    q: Queryable = this.db,
  ): Promise<CareTeamRow | undefined> {
    const { rows } = await q.query<CareTeamRow>(
      `INSERT INTO care_teams AS t (organization_id, name, created_by) VALUES ($1, $2, $3)
       ON CONFLICT (organization_id, lower(name)) DO NOTHING RETURNING ${COLUMNS}`,
      [team.organizationId, team.name, team.createdBy],
    );
    return rows[0];
  }

  /** The renamed team; undefined when it is not the organisation's; 'taken' when the name is. */
  async rename(
    team: { organizationId: string; id: string; name: string },
    q: Queryable = this.db,
  ): Promise<CareTeamRow | 'taken' | undefined> {
    try {
      const { rows } = await q.query<CareTeamRow>(
        `UPDATE care_teams AS t SET name = $3 WHERE t.id = $1 AND t.organization_id = $2 RETURNING ${COLUMNS}`,
        [team.id, team.organizationId, team.name],
      );
      return rows[0];
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'taken';
      throw error;
    }
  }

  /**
   * The organisation's team, locked until the transaction ends with how many patients it holds:
   * assigning a patient to it meanwhile waits (the care-team row is the patients' rows' key).
   */
  async lockWithPatientCount(
    organizationId: string,
    id: string,
    q: Queryable,
  ): Promise<{ patientCount: number } | undefined> {
    const { rows } = await q.query<{ patientCount: number }>(
      `SELECT (SELECT count(*)::int FROM care_team_patients ctp WHERE ctp.care_team_id = t.id) AS "patientCount"
       FROM care_teams t WHERE t.id = $1 AND t.organization_id = $2 FOR UPDATE`,
      [id, organizationId],
    );
    return rows[0];
  }

  /** Deletes the team with its memberships; the ids of the users who were its members. */
  async delete(organizationId: string, id: string, q: Queryable): Promise<string[]> {
    const { rows } = await q.query<{ userId: string }>(
      `DELETE FROM care_team_members WHERE care_team_id = $1 AND organization_id = $2 RETURNING user_id AS "userId"`,
      [id, organizationId],
    );
    await q.query('DELETE FROM care_teams WHERE id = $1 AND organization_id = $2', [id, organizationId]);
    return rows.map((row) => row.userId);
  }

  /** The organisation's team named `name` (any case), created when missing. */
  async ensure(organizationId: string, name: string, q: Queryable = this.db): Promise<CareTeamRow> {
    const { rows } = await q.query<CareTeamRow>(
      `INSERT INTO care_teams AS t (organization_id, name) VALUES ($1, $2)
       ON CONFLICT (organization_id, lower(name)) DO UPDATE SET name = t.name RETURNING ${COLUMNS}`,
      [organizationId, name],
    );
    return rows[0];
  }

  /** Every team of the organisation with its members and patient count, by name. */
  async listWithMembers(organizationId: string, q: Queryable = this.db): Promise<CareTeamListRow[]> {
    const { rows } = await q.query<CareTeamListRow>(
      `SELECT ${COLUMNS},
              (SELECT count(*)::int FROM care_team_patients ctp WHERE ctp.care_team_id = t.id) AS "patientCount",
              COALESCE((SELECT json_agg(json_build_object('careTeamId', m.care_team_id, 'userId', u.id,
                                                          'displayName', u.display_name, 'role', u.role,
                                                          'addedAt', m.added_at)
                                        ORDER BY u.display_name, u.id)
                          FROM care_team_members m JOIN users u ON u.id = m.user_id
                         WHERE m.care_team_id = t.id), '[]'::json) AS members
       FROM care_teams t WHERE t.organization_id = $1 ORDER BY lower(t.name), t.id`,
      [organizationId],
    );
    return rows.map((row) => ({
      ...row,
      members: row.members.map((member) => ({ ...member, addedAt: new Date(member.addedAt) })),
    }));
  }

  /** The teams among `ids` that belong to the organisation. */
  async findManyInOrganization(
    organizationId: string,
    ids: readonly string[],
    q: Queryable = this.db,
  ): Promise<CareTeamRow[]> {
    if (ids.length === 0) return [];
    const { rows } = await q.query<CareTeamRow>(
      `SELECT ${COLUMNS} FROM care_teams t WHERE t.organization_id = $1 AND t.id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    return rows;
  }

  /** Adds the user to the team; false when they already were a member. */
  async addMember(
    member: { organizationId: string; careTeamId: string; userId: string; addedBy: string | null },
    q: Queryable = this.db,
  ): Promise<boolean> {
    const { rowCount } = await q.query(
      `INSERT INTO care_team_members (care_team_id, user_id, organization_id, added_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [member.careTeamId, member.userId, member.organizationId, member.addedBy],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Removes the user from the team; false when they were not a member. */
  async removeMember(
    member: { organizationId: string; careTeamId: string; userId: string },
    q: Queryable = this.db,
  ): Promise<boolean> {
    const { rowCount } = await q.query(
      `DELETE FROM care_team_members WHERE care_team_id = $1 AND user_id = $2 AND organization_id = $3`,
      [member.careTeamId, member.userId, member.organizationId],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The ids of the teams the user is a member of. */
  async teamIdsOfUser(userId: string, q: Queryable = this.db): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT care_team_id AS id FROM care_team_members WHERE user_id = $1 ORDER BY care_team_id`,
      [userId],
    );
    return rows.map((row) => row.id);
  }

  /** The ids of the teams holding the patient. */
  async teamIdsOfPatient(patientId: string, q: Queryable = this.db): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT care_team_id AS id FROM care_team_patients WHERE patient_id = $1 ORDER BY care_team_id`,
      [patientId],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Who sees the patient's events, in one statement: its care teams, and the users who reach it
   * outside them (the rest of careTeamPatientIdsSql's rule): those holding unexpired break-glass
   * access, and those assigned one of its active alerts.
   */
  async patientAudience(
    patientId: string,
    q: Queryable = this.db,
  ): Promise<{ teamIds: string[]; userIds: string[] }> {
    const { rows } = await q.query<{ teamIds: string[]; userIds: string[] }>(
      `SELECT ARRAY(SELECT ctp.care_team_id FROM care_team_patients ctp
                     WHERE ctp.patient_id = $1 ORDER BY ctp.care_team_id) AS "teamIds",
              ARRAY(SELECT bg.user_id FROM break_glass_grants bg WHERE bg.patient_id = $1 AND bg.expires_at > now()
                    UNION
                    SELECT al.assigned_to FROM alerts al
                     WHERE al.patient_id = $1 AND al.assigned_to IS NOT NULL AND al.status = ANY($2::text[])
                    ORDER BY 1) AS "userIds"`,
      [patientId, ACTIVE_ALERT_STATUSES],
    );
    return rows[0];
  }

  /**
   * Makes `careTeamIds` the patient's teams: adds those missing and, when `replace`, removes the
   * others. The caller has checked that the teams and the patient are of `organizationId`.
   */
  async setPatientTeams(
    change: {
      organizationId: string;
      patientId: string;
      careTeamIds: readonly string[];
      addedBy: string | null;
      replace: boolean;
    },
    q: Queryable = this.db,
  ): Promise<void> {
    await q.query(
      `WITH removed AS (
         DELETE FROM care_team_patients
          WHERE $5 AND patient_id = $1 AND organization_id = $2 AND NOT (care_team_id = ANY($3::uuid[]))
       )
       INSERT INTO care_team_patients (care_team_id, patient_id, organization_id, added_by)
       SELECT unnest($3::uuid[]), $1, $2, $4
       ON CONFLICT DO NOTHING`,
      [change.patientId, change.organizationId, change.careTeamIds, change.addedBy, change.replace],
    );
  }

  /**
   * Whether the patient is in `scope`, locking its row until `q`'s transaction ends so that two
   * changes of its teams take turns.
   */
  async lockPatientInScope(scope: PatientScope, patientId: string, q: Queryable): Promise<boolean> {
    const params: unknown[] = [patientId];
    const { rows } = await q.query(
      `SELECT 1 FROM patients p WHERE p.id = $1 AND ${scope.sql(params, 'p', 'id')} FOR UPDATE OF p`,
      params,
    );
    return rows.length > 0;
  }

  /** Whether the user of the organisation exists (any state). */
  async userExists(organizationId: string, userId: string, q: Queryable = this.db): Promise<boolean> {
    const { rows } = await q.query(`SELECT 1 FROM users WHERE id = $1 AND organization_id = $2`, [
      userId,
      organizationId,
    ]);
    return rows.length > 0;
  }
}
