import { Injectable } from '@nestjs/common';
import { AuditService } from '@homeward/identity';
import { AccessPolicy, type Principal } from '@homeward/access';
import { PatientService } from '@homeward/patients';
import type { ReadingRow } from '../monitoring.rows';
import { ReadingRepository } from './reading.repository';

@Injectable()
export class VitalsService {
  constructor(
    private readonly patients: PatientService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly readings: ReadingRepository,
  ) {}

  /** A patient's readings, newest first, after checking (and auditing) access to the patient. */
  async list(
    principal: Principal,
    patientId: string,
    filter: { type?: string; from?: Date; to?: Date; limit: number },
  ): Promise<ReadingRow[]> {
    await this.patients.get(principal, patientId, 'vitals.read');
    return this.readings.listForPatient(this.access.patientScope(principal), { patientId, ...filter });
  }

  /**
   * The readings since `since` of the patients in the caller's scope (all of them, or those
   * among `patientIds`), by patient: every patient in scope is a key, with or without readings.
   * One audit row records the bulk read.
   */
  async historyOf(
    principal: Principal,
    filter: { patientIds?: readonly string[]; since: Date },
  ): Promise<Map<string, ReadingRow[]>> {
    const scope = this.access.patientScope(principal);
    const patientIds = await this.readings.patientIdsInScope(scope, filter.patientIds);
    await this.audit.record(principal, 'vitals.read', {
      resourceType: 'patient',
      resourceId: filter.patientIds ? null : 'all',
      outcome: 'allowed',
    });
    const byPatient = new Map<string, ReadingRow[]>(patientIds.map((id) => [id, []]));
    if (patientIds.length === 0) return byPatient;
    for (const row of await this.readings.listForPatientsSince(scope, patientIds, filter.since))
      byPatient.get(row.patientId)?.push(row);
    return byPatient;
  }
}
