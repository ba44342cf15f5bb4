import { Injectable } from '@nestjs/common';
import { AuditService, type AuditAction } from '@homeward/identity';
import type { RecordableConsentMethod } from '@homeward/contracts';
import { AccessPolicy, CareTeamService, ConsentService, type Principal } from '@homeward/access';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import type { PatientRow } from '../patients.rows';
import { PatientRepository } from './patient.repository';

@Injectable()
export class PatientService {
  constructor(
    private readonly db: Database,
    private readonly patients: PatientRepository,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly consents: ConsentService,
    private readonly careTeams: CareTeamService,
  ) {}

  async create(
    principal: Principal,
    input: {
      givenName: string;
      familyName: string;
      birthDate: string;
      timeZone?: string;
      phone?: string | null;
      email?: string | null;
      /** How consent to monitoring was given, when it was at registration; none recorded otherwise. */
      monitoringConsent?: RecordableConsentMethod;
      /** Its care teams; the registrar's own teams when left out (see `CareTeamService.assignNewPatient`). */
      careTeamIds?: string[];
    },
  ): Promise<PatientRow> {
    const { monitoringConsent, careTeamIds, ...fields } = input;
    // The patient, its teams, its consent and their audit rows commit together: no record
    // without its trail, and none its registrar could not see.
    return this.db.transaction(async (tx) => {
      const created = await this.patients.create(
        { ...fields, organizationId: principal.organizationId, createdBy: principal.userId },
        tx,
      );
      const patient = {
        ...created,
        careTeamIds: await this.careTeams.assignNewPatient(principal, created.id, careTeamIds, tx),
      };
      await this.audit.record(
        principal,
        'patient.create',
        { resourceType: 'patient', resourceId: patient.id, patientId: patient.id },
        tx,
      );
      if (monitoringConsent)
        await this.consents.record(
          principal,
          patient.id,
          { scope: 'rpm_monitoring', method: monitoringConsent },
          tx,
        );
      return patient;
    });
  }

  /**
   * The patient if it is in the caller's scope; otherwise 404, never 403, so ids do not leak.
   * Either way the attempt is audited under `action`.
   */
  async get(principal: Principal, id: string, action: AuditAction = 'patient.read'): Promise<PatientRow> {
    const patient = await this.patients.findInScope(this.access.patientScope(principal), id);
    await this.audit.record(principal, action, {
      resourceType: 'patient',
      resourceId: id,
      patientId: patient ? id : null,
      outcome: patient ? 'allowed' : 'denied',
    });
    if (!patient) throw new ResourceNotFoundError('Patient', id);
    return patient;
  }

  /**
   * Changes how to reach the patient (a field left out keeps its value, null clears it), with
   * its audit row in the same transaction; 404 outside the caller's scope, audited as denied.
   */
  async updateContact(
    principal: Principal,
    id: string,
    contact: { phone?: string | null; email?: string | null },
  ): Promise<PatientRow> {
    const scope = this.access.patientScope(principal);
    const patient = await this.db.transaction(async (tx) => {
      const updated = await this.patients.updateContactInScope(scope, id, contact, tx);
      if (updated)
        await this.audit.record(
          principal,
          'patient.contact.set',
          { resourceType: 'patient', resourceId: id, patientId: id },
          tx,
        );
      return updated;
    });
    if (patient) return patient;
    await this.audit.record(principal, 'patient.contact.set', {
      resourceType: 'patient',
      resourceId: id,
      outcome: 'denied',
    });
    throw new ResourceNotFoundError('Patient', id);
  }

  /**
   * A page of the patients in the caller's scope; `unassigned`, those in no care team (only
   * admins' scope holds any).
   */
  async list(
    principal: Principal,
    page: { limit: number; offset: number; unassigned?: boolean },
  ): Promise<PatientRow[]> {
    const rows = await this.patients.listInScope(this.access.patientScope(principal), page);
    await this.audit.record(principal, 'patient.list', { resourceType: 'patient' });
    return rows;
  }

  /**
   * The ids of every patient in the caller's scope whose name contains `search` (all without
   * one), by name: the candidates of the worklist, which ranks them and shows one page
   * (`listedPage`). One `patient.list` audit row, for the list and its pages.
   */
  async searchIds(principal: Principal, search?: string): Promise<string[]> {
    // Side by side: the audit row does not depend on the rows, and the worklist waits for both.
    const [ids] = await Promise.all([
      this.patients.searchIdsInScope(this.access.patientScope(principal), search),
      this.audit.record(principal, 'patient.list', { resourceType: 'patient', resourceId: 'worklist' }),
    ]);
    return ids;
  }

  /**
   * The patients of a page of a list `searchIds` gave (and audited), in the page's order; ids
   * outside the caller's scope are left out.
   */
  async listedPage(principal: Principal, ids: readonly string[]): Promise<PatientRow[]> {
    const rows = await this.patients.findManyInScope(this.access.patientScope(principal), ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The demo patient marked `demoKey` in the principal's organisation, created on first use.
   * Patients without a demo key are never returned, so a user's own are never taken for one.
   */
  async ensureDemoPatient(
    principal: Principal,
    patient: { demoKey: string; givenName: string; familyName: string; birthDate: string; timeZone?: string },
  ): Promise<PatientRow> {
    const row = await this.patients.upsertDemo({
      ...patient,
      organizationId: principal.organizationId,
      createdBy: principal.userId,
    });
    if (row.careTeamIds.length > 0) return row;
    const careTeamIds = await this.db.transaction((tx) =>
      this.careTeams.assignNewPatient(principal, row.id, undefined, tx),
    );
    return { ...row, careTeamIds };
  }
}
