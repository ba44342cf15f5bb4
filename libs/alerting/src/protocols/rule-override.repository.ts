import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import type { RuleDefinition } from '../rules/rule-definition';
import type { RuleOverride } from './patient-rules';

/** One version of a patient's override; `definition` null: the override ended there. */
export interface RuleOverrideVersionRow extends Omit<RuleOverride, 'definition'> {
  ruleId: string;
  definition: RuleDefinition | null;
}

const COLUMNS = `rule_id AS "ruleId", version, definition, reason, owner_id AS "ownerId", expires_at AS "expiresAt",
  created_by AS "createdBy", created_at AS "createdAt"`;

@Injectable()
export class RuleOverrideRepository {
  constructor(private readonly db: Database) {}

  /** The overrides in force at `at` of each of `patientIds`, by patient and rule id. */
  async inForce(patientIds: readonly string[], at: Date): Promise<Map<string, Map<string, RuleOverride>>> {
    const { rows } = await this.db.query<RuleOverride & { patientId: string; ruleId: string }>(
      `SELECT * FROM (
         SELECT DISTINCT ON (patient_id, rule_id) patient_id AS "patientId", ${COLUMNS}
         FROM patient_rule_overrides WHERE patient_id = ANY($1::uuid[])
         ORDER BY patient_id, rule_id, version DESC) latest
       WHERE definition IS NOT NULL AND ("expiresAt" IS NULL OR "expiresAt" > $2)`,
      [patientIds, at],
    );
    const byPatient = new Map<string, Map<string, RuleOverride>>();
    for (const { patientId, ruleId, ...override } of rows) {
      const overrides = byPatient.get(patientId) ?? new Map<string, RuleOverride>();
      overrides.set(ruleId, override);
      byPatient.set(patientId, overrides);
    }
    return byPatient;
  }

  /**
   * Appends the next version of a patient's override of `ruleId`. Locks the patient's versions of
   * the rule first, so two changes at once get consecutive versions instead of colliding.
   */
  async append(
    change: {
      organizationId: string;
      patientId: string;
      ruleId: string;
      definition: RuleDefinition | null;
      reason: string;
      ownerId: string | null;
      expiresAt: Date | null;
      createdBy: string;
    },
    q: Queryable,
  ): Promise<RuleOverrideVersionRow> {
    await q.query('SELECT pg_advisory_xact_lock(hashtext($1::text || $2))', [
      change.patientId,
      change.ruleId,
    ]);
    const { rows } = await q.query<RuleOverrideVersionRow>(
      `INSERT INTO patient_rule_overrides (organization_id, patient_id, rule_id, version, definition, reason, owner_id,
                                           expires_at, created_by)
       SELECT $1, $2, $3, COALESCE(max(version), 0) + 1, $4, $5, $6, $7, $8
       FROM patient_rule_overrides WHERE patient_id = $2 AND rule_id = $3
       RETURNING ${COLUMNS}`,
      [
        change.organizationId,
        change.patientId,
        change.ruleId,
        change.definition === null ? null : JSON.stringify(change.definition),
        change.reason,
        change.ownerId,
        change.expiresAt,
        change.createdBy,
      ],
    );
    return rows[0];
  }

  /** Every version of a patient's override of `ruleId`, newest first. */
  async versions(patientId: string, ruleId: string): Promise<RuleOverrideVersionRow[]> {
    const { rows } = await this.db.query<RuleOverrideVersionRow>(
      `SELECT ${COLUMNS} FROM patient_rule_overrides WHERE patient_id = $1 AND rule_id = $2 ORDER BY version DESC`,
      [patientId, ruleId],
    );
    return rows;
  }
}
