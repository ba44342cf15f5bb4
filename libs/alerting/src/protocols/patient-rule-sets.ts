import { Injectable } from '@nestjs/common';
import { PatientBaselineRepository } from '../baselines/patient-baseline.repository';
import { PatientProtocolRepository } from './patient-protocol.repository';
import { NO_RULE_SET, type PatientRuleSet } from './patient-rules';
import { RuleOverrideRepository } from './rule-override.repository';

/**
 * Loads what decides patients' rules (protocols, overrides in force and baselines), for many
 * patients at once.
 */
@Injectable()
export class PatientRuleSets {
  constructor(
    private readonly protocols: PatientProtocolRepository,
    private readonly overrides: RuleOverrideRepository,
    private readonly baselines: PatientBaselineRepository,
  ) {}

  /** Three queries whatever the number of patients; patients with none of them are left out (defaults). */
  async of(patientIds: readonly string[], at: Date = new Date()): Promise<Map<string, PatientRuleSet>> {
    if (patientIds.length === 0) return new Map();
    const [keys, overrides, baselines] = await Promise.all([
      this.protocols.forPatients(patientIds),
      this.overrides.inForce(patientIds, at),
      this.baselines.inForce(patientIds),
    ]);
    const sets = new Map<string, PatientRuleSet>();
    for (const patientId of new Set([...keys.keys(), ...overrides.keys(), ...baselines.keys()])) {
      const patientBaselines = baselines.get(patientId);
      sets.set(patientId, {
        keys: keys.get(patientId) ?? NO_RULE_SET.keys,
        overrides: overrides.get(patientId) ?? NO_RULE_SET.overrides,
        ...(patientBaselines ? { baselines: patientBaselines } : {}),
      });
    }
    return sets;
  }

  async ofPatient(patientId: string, at: Date = new Date()): Promise<PatientRuleSet> {
    return (await this.of([patientId], at)).get(patientId) ?? NO_RULE_SET;
  }
}
