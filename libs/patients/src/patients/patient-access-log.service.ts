import { Injectable } from '@nestjs/common';
import { AuditService, type AuditAccessRow } from '@homeward/identity';
import { AccessPolicy, type Principal } from '@homeward/access';
import { PatientService } from './patient.service';

/** Who looked at or changed a patient's record: the patient's right under HIPAA 45 CFR 164.528. */
@Injectable()
export class PatientAccessLogService {
  constructor(
    private readonly patients: PatientService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  /** 404 outside the caller's scope; reading the log is itself audited. */
  async list(
    principal: Principal,
    patientId: string,
    page: { limit: number; offset: number },
  ): Promise<AuditAccessRow[]> {
    await this.patients.get(principal, patientId, 'patient.access_log.read');
    return this.audit.patientAccessLog(this.access.patientScope(principal), patientId, page);
  }
}
