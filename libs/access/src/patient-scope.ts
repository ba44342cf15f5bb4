import { ACTIVE_ALERT_STATUSES } from '@homeward/contracts';

/**
 * The patients whose data a principal may see, as every patient-data query carries it: the
 * principal's organisation, and within it, for coordinators and clinicians, the patients of their
 * care teams and those they hold break-glass access to. Every query renders the condition with
 * `sql`, so a narrower scope needs no change to the queries.
 */
export interface PatientScope {
  readonly organizationId: string;
  /** The user whose care teams narrow the scope; absent when the scope is the whole organisation. */
  readonly careTeamUserId?: string;
  /**
   * The SQL condition that keeps a query to this scope's rows, on the table or alias `alias`
   * (which must carry `organization_id`, and the patient's id in `patientIdColumn`: `id` on
   * `patients` itself, `patient_id` elsewhere). Appends the condition's values to `params`, the
   * query's parameter list, and numbers its placeholders after the ones already there, so call it
   * where the query text is built, after the query's own parameters:
   * `WHERE id = $1 AND ${scope.sql(params, undefined, 'id')}`.
   */
  sql(params: unknown[], alias?: string, patientIdColumn?: PatientIdColumn): string;
}

export type PatientIdColumn = 'patient_id' | 'id';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function qualifier(alias: string | undefined): string {
  if (alias !== undefined && !IDENTIFIER.test(alias)) throw new Error(`Not an SQL alias: ${alias}`);
  return alias ? `${alias}.` : '';
}

class OrganizationScope implements PatientScope {
  constructor(readonly organizationId: string) {}

  sql(params: unknown[], alias?: string): string {
    const on = qualifier(alias);
    params.push(this.organizationId);
    return `${on}organization_id = $${params.length}`;
  }
}

/**
 * The patients the user's care teams hold, and those the user holds unexpired break-glass access
 * to. `careTeamPatientIdsSql` is the one text of that rule; row-level security's policies say the
 * same in the database.
 */
class CareTeamScope implements PatientScope {
  constructor(
    readonly organizationId: string,
    readonly careTeamUserId: string,
  ) {}

  sql(params: unknown[], alias?: string, patientIdColumn: PatientIdColumn = 'patient_id'): string {
    const on = qualifier(alias);
    params.push(this.organizationId);
    const organization = `$${params.length}`;
    params.push(this.careTeamUserId);
    const user = `$${params.length}`;
    return `(${on}organization_id = ${organization} AND ${on}${patientIdColumn} IN (${careTeamPatientIdsSql(user)}))`;
  }
}

const ACTIVE_STATUSES_SQL = ACTIVE_ALERT_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * The ids of the patients a user may see, `user` a placeholder: those of the user's care teams,
 * of the user's unexpired break-glass grants, and of the active alerts assigned to the user.
 * The last is how an on-call clinician paged by an escalation (or a colleague a coordinator
 * hands an alert to) can open the patient they must act on, for as long as the alert is active;
 * the alert's history records who was given it.
 */
export function careTeamPatientIdsSql(user: string): string {
  return (
    `SELECT ctp.patient_id FROM care_team_members ctm` +
    ` JOIN care_team_patients ctp ON ctp.care_team_id = ctm.care_team_id WHERE ctm.user_id = ${user}::uuid` +
    ` UNION SELECT bg.patient_id FROM break_glass_grants bg WHERE bg.user_id = ${user}::uuid AND bg.expires_at > now()` +
    ` UNION SELECT al.patient_id FROM alerts al WHERE al.assigned_to = ${user}::uuid AND al.status IN (${ACTIVE_STATUSES_SQL})`
  );
}

/**
 * Every patient of one organisation: what admins see, and what the platform's own work (jobs,
 * ingest) acts within. People get their scope from `AccessPolicy.patientScope`.
 */
export function organizationScope(organizationId: string): PatientScope {
  return new OrganizationScope(organizationId);
}

/** The patients of `userId`'s care teams in `organizationId`, and those of their break-glass grants. */
export function careTeamScope(organizationId: string, userId: string): PatientScope {
  return new CareTeamScope(organizationId, userId);
}

/**
 * An SQL expression for the ids of the care teams holding the patient whose id is `patientId`
 * (a column or placeholder), as a uuid array sorted by id: what API answers show as `careTeamIds`.
 */
export function patientCareTeamIdsSql(patientId: string): string {
  return `ARRAY(SELECT ctp.care_team_id FROM care_team_patients ctp WHERE ctp.patient_id = ${patientId} ORDER BY ctp.care_team_id)`;
}
