import { Injectable } from '@nestjs/common';
import { AuditService } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { PatientService } from '@homeward/patients';
import { Database } from '@homeward/platform';
import { PROTOCOLS, type Protocol, type ProtocolKey } from '../rules/protocols';
import { PatientProtocolRepository } from './patient-protocol.repository';
import { PatientRuleSets } from './patient-rule-sets';
import { effectiveRules, type EffectiveRule } from './patient-rules';

/** The protocol templates, which of them a patient follows, and the rules that follow from it. */
@Injectable()
export class ProtocolService {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientService,
    private readonly protocols: PatientProtocolRepository,
    private readonly ruleSets: PatientRuleSets,
    private readonly audit: AuditService,
  ) {}

  list(): readonly Protocol[] {
    return PROTOCOLS;
  }

  /** Sets a patient's protocols (replacing the previous ones), audited with the change. */
  async setForPatient(
    principal: Principal,
    patientId: string,
    keys: readonly ProtocolKey[],
  ): Promise<ProtocolKey[]> {
    const patient = await this.patients.get(principal, patientId, 'patient.read');
    const unique = [...new Set(keys)].sort();
    await this.db.transaction(async (tx) => {
      await this.protocols.replace(patient, unique, principal.userId, tx);
      await this.audit.record(
        principal,
        'patient.protocols.set',
        { resourceType: 'patient', resourceId: patientId, patientId },
        tx,
      );
    });
    return unique;
  }

  /** The rules a patient is evaluated by now: the defaults, their protocols' groups over them, the overrides in force. */
  async rulesForPatient(
    principal: Principal,
    patientId: string,
  ): Promise<{ protocols: ProtocolKey[]; rules: readonly EffectiveRule[] }> {
    await this.patients.get(principal, patientId, 'patient.read');
    const set = await this.ruleSets.ofPatient(patientId);
    return { protocols: [...set.keys], rules: effectiveRules(set) };
  }
}
