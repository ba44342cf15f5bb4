import { Injectable } from '@nestjs/common';
import { AccessPolicy, type Principal } from '@homeward/identity';
import { PatientService } from '@homeward/patients';
import type { ReadingRow } from '../monitoring.rows';
import { ReadingRepository } from './reading.repository';

@Injectable()
export class VitalsService {
  constructor(
    private readonly patients: PatientService,
    private readonly access: AccessPolicy,
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
}
