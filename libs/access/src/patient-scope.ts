/**
 * The patients whose data a principal may see, as every patient-data query carries it. Today
 * that is the principal's organisation; care teams and consent narrow it here later, and every
 * query that renders its condition with `sql` follows without change.
 */
export interface PatientScope {
  readonly organizationId: string;
  /**
   * The SQL condition that keeps a query to this scope's rows, on the table or alias `alias`
   * (which must carry `organization_id`). Appends the condition's values to `params`, the query's
   * parameter list, and numbers its placeholders after the ones already there, so call it where
   * the query text is built, after the query's own parameters: `WHERE id = $1 AND ${scope.sql(params)}`.
   */
  sql(params: unknown[], alias?: string): string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

class OrganizationScope implements PatientScope {
  constructor(readonly organizationId: string) {}

  sql(params: unknown[], alias?: string): string {
    if (alias !== undefined && !IDENTIFIER.test(alias)) throw new Error(`Not an SQL alias: ${alias}`);
    params.push(this.organizationId);
    return `${alias ? `${alias}.` : ''}organization_id = $${params.length}`;
  }
}

/**
 * Every patient of one organisation: what staff see today, and what the platform's own work
 * (jobs, ingest) acts within. People get their scope from `AccessPolicy.patientScope`.
 */
export function organizationScope(organizationId: string): PatientScope {
  return new OrganizationScope(organizationId);
}
