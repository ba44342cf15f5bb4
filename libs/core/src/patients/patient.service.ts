import { Injectable } from '@nestjs/common';
import { Database, PatientRepository, type PatientRow } from '@homeward/db';
import { AuditService, type AuditAction } from '../audit/audit.service';
import { ResourceNotFoundError } from '../errors';
import type { Principal } from '../principal';

@Injectable()
export class PatientService {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientRepository,
    private readonly audit: AuditService,
  ) {}

  async create(
    principal: Principal,
    input: { givenName: string; familyName: string; birthDate: string },
  ): Promise<PatientRow> {
    // The patient and its audit row commit together: no record without its trail.
    return this.db.transaction(async (tx) => {
      const patient = await this.patients.create(
        { ...input, organizationId: principal.organizationId, createdBy: principal.userId },
        tx,
      );
      await this.audit.record(
        principal,
        'patient.create',
        { resourceType: 'patient', resourceId: patient.id, patientId: patient.id },
        tx,
      );
      return patient;
    });
  }

  /**
   * The patient if it is in the caller's organisation; otherwise 404, never 403, so ids do not
   * leak. Either way the attempt is audited under `action`.
   */
  async get(principal: Principal, id: string, action: AuditAction = 'patient.read'): Promise<PatientRow> {
    const patient = await this.patients.findInOrganization(principal.organizationId, id);
    await this.audit.record(principal, action, {
      resourceType: 'patient',
      resourceId: id,
      patientId: patient ? id : null,
      outcome: patient ? 'allowed' : 'denied',
    });
    if (!patient) throw new ResourceNotFoundError('Patient', id);
    return patient;
  }

  async list(principal: Principal, page: { limit: number; offset: number }): Promise<PatientRow[]> {
    const rows = await this.patients.listInOrganization(principal.organizationId, page.limit, page.offset);
    await this.audit.record(principal, 'patient.list', { resourceType: 'patient' });
    return rows;
  }
}
