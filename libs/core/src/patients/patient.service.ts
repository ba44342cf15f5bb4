import { Injectable } from '@nestjs/common';
import { PatientRepository, type PatientRow } from '@homeward/db';
import { ResourceNotFoundError } from '../errors';
import type { Principal } from '../principal';

@Injectable()
export class PatientService {
  constructor(private readonly patients: PatientRepository) {}

  create(
    principal: Principal,
    input: { givenName: string; familyName: string; birthDate: string },
  ): Promise<PatientRow> {
    return this.patients.create({
      ...input,
      organizationId: principal.organizationId,
      createdBy: principal.userId,
    });
  }

  /** The patient if it is in the caller's organisation; otherwise 404, never 403, so ids do not leak. */
  async get(principal: Principal, id: string): Promise<PatientRow> {
    const patient = await this.patients.findInOrganization(principal.organizationId, id);
    if (!patient) throw new ResourceNotFoundError('Patient', id);
    return patient;
  }

  list(principal: Principal, page: { limit: number; offset: number }): Promise<PatientRow[]> {
    return this.patients.listInOrganization(principal.organizationId, page.limit, page.offset);
  }
}
