import {
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
} from '@homeward/testing';
import type { Principal } from '@homeward/access';
import { InvitationMailModule } from '@homeward/notifications';
import { ResourceNotFoundError } from '@homeward/platform';
import { PatientsHttpModule } from '../patients-http.module';
import { PatientAccessLogService } from './patient-access-log.service';
import { PatientService } from './patient.service';

describe("PatientAccessLogService: who touched a patient's record", () => {
  let integration: IntegrationModule;
  let accessLog: PatientAccessLogService;
  let patients: PatientService;
  let clinician: Principal;
  let outsider: Principal;
  let patientId: string;
  let otherPatientId: string;

  const principalOf = async (organizationId: string, role: Principal['role']): Promise<Principal> => {
    const user = await createUser(integration.database.pool, organizationId, role);
    return { userId: user.id, organizationId, role };
  };

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [InvitationMailModule, PatientsHttpModule],
    });
    accessLog = integration.moduleRef.get(PatientAccessLogService);
    patients = integration.moduleRef.get(PatientService);
    const organizationId = await createOrganization(integration.database.pool, 'Home');
    const otherOrganizationId = await createOrganization(integration.database.pool, 'Other');
    clinician = await principalOf(organizationId, 'clinician');
    outsider = await principalOf(otherOrganizationId, 'admin');
    patientId = await createPatient(integration.database.pool, organizationId);
    otherPatientId = await createPatient(integration.database.pool, organizationId);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it("lists this patient's reads with the actor's name and role, newest first, and audits itself", async () => {
    await patients.get(clinician, patientId);
    await patients.get(clinician, otherPatientId);
    const rows = await accessLog.list(clinician, patientId, { limit: 50, offset: 0 });
    expect(rows.map((row) => row.action)).toEqual(['patient.access_log.read', 'patient.read']);
    expect(rows[1]).toMatchObject({
      actorUserId: clinician.userId,
      actorName: 'Test clinician',
      actorRole: 'clinician',
    });
    expect(rows[0].occurredAt.getTime()).toBeGreaterThanOrEqual(rows[1].occurredAt.getTime());
  });

  it('pages', async () => {
    const rows = await accessLog.list(clinician, patientId, { limit: 1, offset: 1 });
    expect(rows).toHaveLength(1);
  });

  it("answers 404 to another organisation, audited as denied, and shows it none of the patient's rows", async () => {
    await expect(accessLog.list(outsider, patientId, { limit: 50, offset: 0 })).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    const { rows } = await integration.database.pool.query<{ outcome: string }>(
      `SELECT outcome FROM audit_events WHERE actor_user_id = $1 AND action = 'patient.access_log.read'`,
      [outsider.userId],
    );
    expect(rows).toEqual([{ outcome: 'denied' }]);
  });
});
