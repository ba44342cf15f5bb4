import { Injectable } from '@nestjs/common';
import { ReadingRepository, type ReadingRow } from '@homeward/db';
import type { Principal } from '../principal';
import { PatientService } from '../patients/patient.service';

@Injectable()
export class VitalsService {
  constructor(
    private readonly patients: PatientService,
    private readonly readings: ReadingRepository,
  ) {}

  /** A patient's readings, newest first, after checking the patient is in the caller's organisation. */
  async list(
    principal: Principal,
    patientId: string,
    filter: { type?: string; from?: Date; to?: Date; limit: number },
  ): Promise<ReadingRow[]> {
    await this.patients.get(principal, patientId, 'vitals.read');
    return this.readings.listForPatient({ organizationId: principal.organizationId, patientId, ...filter });
  }
}
