import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService, UserService } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { PatientService } from '@homeward/patients';
import { Database } from '@homeward/platform';
import { ruleTypes, type RuleDefinition } from '../rules/rule-definition';
import { validateRuleDefinition } from '../rules/rule-definition.schema';
import { InvalidRuleError } from '../rule-preview/rule-preview.service';
import { PatientRuleSets } from './patient-rule-sets';
import { GROUP_TYPES, effectiveRules, templateRules, type EffectiveRule } from './patient-rules';
import { RuleOverrideRepository, type RuleOverrideVersionRow } from './rule-override.repository';

/** Longest an override may be set to last; beyond that it is a protocol change. */
export const MAX_OVERRIDE_DAYS = 366;

class RuleNotFoundError extends NotFoundException {
  constructor(ruleId: string) {
    super({
      statusCode: 404,
      error: 'Not Found',
      code: 'rule_not_found',
      message: `${ruleId} is not one of this patient's rules (see GET /api/patients/{id}/rules)`,
    });
  }
}

class RuleOverrideRefusedError extends BadRequestException {
  constructor(code: string, message: string) {
    super({ statusCode: 400, error: 'Bad Request', code, message });
  }
}

/**
 * Per-patient overrides of a rule: a clinician adapts a cut-off to one patient, with an owner,
 * a reason and an optional expiry. Every change is a new version (audited in the same
 * transaction), and alerts record the version that raised them.
 */
@Injectable()
export class RuleOverrideService {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientService,
    private readonly users: UserService,
    private readonly ruleSets: PatientRuleSets,
    private readonly overrides: RuleOverrideRepository,
    private readonly audit: AuditService,
  ) {}

  /** Sets (or changes) the patient's override of `ruleId`; answers the rule as it now applies. */
  async set(
    principal: Principal,
    patientId: string,
    ruleId: string,
    change: { definition: unknown; reason: string; ownerId?: string; expiresAt?: Date },
  ): Promise<EffectiveRule> {
    const patient = await this.patients.get(principal, patientId, 'patient.read');
    const set = await this.ruleSets.ofPatient(patientId);
    const template = templateRules(set.keys).find((rule) => rule.id === ruleId);
    if (!template) throw new RuleNotFoundError(ruleId);
    const definition = this.checkDefinition(template, change.definition);
    if (change.expiresAt) {
      const ahead = change.expiresAt.getTime() - Date.now();
      if (ahead <= 0 || ahead > MAX_OVERRIDE_DAYS * 24 * 3600_000)
        throw new RuleOverrideRefusedError(
          'rule_override_expiry',
          `expiresAt must be in the future and at most ${MAX_OVERRIDE_DAYS} days ahead`,
        );
    }
    const ownerId = await this.ownerOf(principal, change.ownerId);
    await this.appendVersion(principal, patient, ruleId, 'patient.rule_override.set', {
      definition,
      reason: change.reason,
      ownerId,
      expiresAt: change.expiresAt ?? null,
    });
    return this.current(patientId, ruleId);
  }

  /**
   * The clinician answerable for an override (docs/rules.md): `ownerId`, else the caller when a
   * clinician. An admin may set overrides but is not a clinician, so must name one: defaulting to
   * the admin would leave a cut-off with nobody clinically responsible for it.
   */
  private async ownerOf(principal: Principal, ownerId: string | undefined): Promise<string> {
    if (ownerId === undefined && principal.role !== 'clinician')
      throw new RuleOverrideRefusedError(
        'rule_override_owner',
        'ownerId is required: an override is owned by a clinician of your organisation',
      );
    const owner = ownerId ?? principal.userId;
    if (!(await this.users.isColleagueInRole(principal, owner, 'clinician')))
      throw new RuleOverrideRefusedError(
        'rule_override_owner',
        'ownerId must be an active clinician of your organisation',
      );
    return owner;
  }

  /** Ends the override in force: the rule applies as its protocol publishes it again. */
  async end(principal: Principal, patientId: string, ruleId: string, reason: string): Promise<EffectiveRule> {
    const patient = await this.patients.get(principal, patientId, 'patient.read');
    const set = await this.ruleSets.ofPatient(patientId);
    if (!set.overrides.has(ruleId))
      throw new NotFoundException({
        statusCode: 404,
        error: 'Not Found',
        code: 'rule_override_not_found',
        message: `No override of ${ruleId} is in force for this patient`,
      });
    await this.appendVersion(principal, patient, ruleId, 'patient.rule_override.end', {
      definition: null,
      reason,
      ownerId: null,
      expiresAt: null,
    });
    return this.current(patientId, ruleId);
  }

  /** Every version of the patient's override of `ruleId`, newest first. */
  async versions(principal: Principal, patientId: string, ruleId: string): Promise<RuleOverrideVersionRow[]> {
    await this.patients.get(principal, patientId, 'patient.read');
    const versions = await this.overrides.versions(patientId, ruleId);
    await this.audit.record(principal, 'patient.rule_override.read', {
      resourceType: 'rule_override',
      resourceId: ruleId,
      patientId,
    });
    return versions;
  }

  /** A new version and its audit row, in one transaction. */
  private async appendVersion(
    principal: Principal,
    patient: { id: string; organizationId: string },
    ruleId: string,
    action: 'patient.rule_override.set' | 'patient.rule_override.end',
    version: {
      definition: RuleDefinition | null;
      reason: string;
      ownerId: string | null;
      expiresAt: Date | null;
    },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.overrides.append(
        {
          ...version,
          organizationId: patient.organizationId,
          patientId: patient.id,
          ruleId,
          createdBy: principal.userId,
        },
        tx,
      );
      await this.audit.record(
        principal,
        action,
        { resourceType: 'rule_override', resourceId: ruleId, patientId: patient.id },
        tx,
      );
    });
  }

  private async current(patientId: string, ruleId: string): Promise<EffectiveRule> {
    const rule = effectiveRules(await this.ruleSets.ofPatient(patientId)).find((r) => r.id === ruleId);
    if (!rule) throw new RuleNotFoundError(ruleId);
    return rule;
  }

  /**
   * A valid rule that can stand in for `template`: it reads only vitals of the template's group
   * (so it shares its alert and its all clear) and runs on the same clock (readings or the
   * missed-reading schedule).
   */
  private checkDefinition(template: EffectiveRule, input: unknown): RuleDefinition {
    const validation = validateRuleDefinition(input);
    if (!validation.ok) throw new InvalidRuleError(validation.problems);
    const definition = validation.rule;
    if ((definition.kind === 'missed') !== (template.definition.kind === 'missed'))
      throw new RuleOverrideRefusedError(
        'rule_override_kind',
        template.definition.kind === 'missed'
          ? `${template.id} is a missed-reading rule: its override must be of kind missed`
          : `${template.id} is evaluated on readings: its override cannot be of kind missed`,
      );
    const allowed = GROUP_TYPES.get(template.group) ?? new Set<string>();
    const foreign = ruleTypes(definition).filter((type) => !allowed.has(type));
    if (foreign.length > 0)
      throw new RuleOverrideRefusedError(
        'rule_override_types',
        `${template.id} is about ${[...allowed].join(', ')}; the override reads ${foreign.join(', ')}`,
      );
    // Stored as written (units included): what the clinician wrote is what the history shows.
    return input as RuleDefinition;
  }
}
