import {
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import type { Principal } from '@homeward/identity';
import { ConsentModule } from './consent.module';
import { ConsentService } from './consent.service';

describe('ConsentService: recording, listing and revoking a patient consent', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let consents: ConsentService;
  let clinician: Principal;
  let outsider: Principal;
  let patient: string;

  const audited = async (action: string, outcome = 'allowed') =>
    Number(
      (
        await database.pool.query<{ count: string }>(
          'SELECT count(*) FROM audit_events WHERE action = $1 AND outcome = $2 AND actor_user_id = ANY($3)',
          [action, outcome, [clinician.userId, outsider.userId]],
        )
      ).rows[0].count,
    );

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'worker', imports: [ConsentModule] });
    database = integration.database;
    consents = integration.moduleRef.get(ConsentService);
    const [own, other] = [await createOrganization(database.pool), await createOrganization(database.pool)];
    clinician = {
      userId: (await createUser(database.pool, own, 'clinician')).id,
      organizationId: own,
      role: 'clinician',
    };
    outsider = {
      userId: (await createUser(database.pool, other, 'clinician')).id,
      organizationId: other,
      role: 'clinician',
    };
    patient = await createPatient(database.pool, own, { consent: false });
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('records a consent, lists it newest first, and audits both', async () => {
    expect(await consents.hasActiveConsent(patient, 'rpm_monitoring')).toBe(false);
    const givenAt = new Date(Date.now() - 86_400_000);
    const recorded = await consents.record(clinician, patient, {
      scope: 'rpm_monitoring',
      method: 'written',
      givenAt,
      documentReference: 'form-17.pdf',
    });
    expect(recorded).toMatchObject({
      patientId: patient,
      scope: 'rpm_monitoring',
      status: 'active',
      method: 'written',
      recordedBy: clinician.userId,
      documentReference: 'form-17.pdf',
      revokedAt: null,
    });
    expect(recorded.givenAt.toISOString()).toBe(givenAt.toISOString());
    const video = await consents.record(clinician, patient, { scope: 'video_visits', method: 'verbal' });
    expect((await consents.list(clinician, patient)).map((row) => row.id)).toEqual([video.id, recorded.id]);
    expect(await consents.hasActiveConsent(patient, 'rpm_monitoring')).toBe(true);
    expect(await audited('consent.record')).toBe(2);
    expect(await audited('consent.read')).toBe(1);
  });

  it('refuses legacy and a consent given in the future', async () => {
    await expect(
      consents.record(clinician, patient, { scope: 'video_visits', method: 'legacy' }),
    ).rejects.toMatchObject({
      response: { code: 'invalid_consent' },
    });
    await expect(
      consents.record(clinician, patient, {
        scope: 'video_visits',
        method: 'verbal',
        givenAt: new Date(Date.now() + 86_400_000),
      }),
    ).rejects.toMatchObject({ response: { code: 'invalid_consent' } });
  });

  it('revokes once: a second revoke is 409, and the patient has no active consent after', async () => {
    const [consent] = (await consents.list(clinician, patient)).filter(
      (row) => row.scope === 'rpm_monitoring',
    );
    const revoked = await consents.revoke(clinician, patient, consent.id, 'Patient moved away');
    expect(revoked).toMatchObject({
      status: 'revoked',
      revokedBy: clinician.userId,
      revokeReason: 'Patient moved away',
    });
    expect(await consents.hasActiveConsent(patient, 'rpm_monitoring')).toBe(false);
    await expect(consents.revoke(clinician, patient, consent.id, 'again')).rejects.toMatchObject({
      status: 409,
      response: { code: 'already_revoked' },
    });
    expect(await audited('consent.revoke')).toBe(1);
    expect(await audited('consent.revoke', 'denied')).toBe(1);
    await expect(consents.requireActiveConsent(patient, 'rpm_monitoring')).rejects.toMatchObject({
      status: 409,
      response: { code: 'no_consent' },
    });
  });

  it("keeps another organisation's user out: 404 for record, list and revoke, audited as denied", async () => {
    const [consent] = await consents.list(clinician, patient);
    await expect(consents.list(outsider, patient)).rejects.toMatchObject({ status: 404 });
    await expect(
      consents.record(outsider, patient, { scope: 'video_visits', method: 'verbal' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(consents.revoke(outsider, patient, consent.id, 'no')).rejects.toMatchObject({ status: 404 });
    expect(await audited('consent.read', 'denied')).toBe(1);
    expect(await audited('consent.record', 'denied')).toBe(1);
    expect((await consents.list(clinician, patient)).find((row) => row.id === consent.id)?.status).toBe(
      consent.status,
    );
  });

  it('records a consent once when ensured again (the demo seeds through this)', async () => {
    const other = await createPatient(database.pool, clinician.organizationId, { consent: false });
    await consents.ensureConsent(clinician, other, { scope: 'video_visits', method: 'written' });
    await consents.ensureConsent(clinician, other, { scope: 'video_visits', method: 'written' });
    expect(await consents.list(clinician, other)).toHaveLength(1);
  });
});
