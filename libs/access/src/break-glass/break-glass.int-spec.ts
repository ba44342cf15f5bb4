import { Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Queryable } from '@homeward/platform';
import {
  createCareTeam,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
} from '@homeward/testing';
import type { Principal } from '@homeward/identity';
import { careTeamScope, type PatientScope } from '../patient-scope';
import { BreakGlassAnnouncer, type BreakGlassAnnouncement } from './break-glass-announcer';
import { BreakGlassModule } from './break-glass.module';
import { BreakGlassService } from './break-glass.service';

/** Records what would go to the outbox (the notifications lib provides the real one, above access). */
class RecordingAnnouncer extends BreakGlassAnnouncer {
  readonly added: BreakGlassAnnouncement[] = [];
  readonly dispatched: string[] = [];
  add(announcement: BreakGlassAnnouncement, _tx: Queryable): Promise<string[]> {
    this.added.push(announcement);
    return Promise.resolve(announcement.recipientUserIds.map((id) => `note-${id}`));
  }
  dispatch(ids: readonly string[]): Promise<void> {
    this.dispatched.push(...ids);
    return Promise.resolve();
  }
}

const announcer = new RecordingAnnouncer();

@Global()
@Module({
  providers: [{ provide: BreakGlassAnnouncer, useValue: announcer }],
  exports: [BreakGlassAnnouncer],
})
class RecordingAnnouncerModule {}

describe('break-glass: a clinician reaches a patient outside their care teams, for a while, on the record', () => {
  let integration: IntegrationModule;
  let pool: Pool;
  let service: BreakGlassService;
  let organizationId: string;
  let clinician: Principal;
  let teamClinician: Principal;
  let teamCoordinator: Principal;
  let admin: Principal;
  let outsider: Principal;
  let patientId: string;
  let otherOrganizationPatient: string;

  const principalOf = async (organization: string, role: Principal['role']): Promise<Principal> => {
    // In no team: the specs make the teams they need.
    const user = await createUser(pool, organization, role, { careTeam: false });
    return { userId: user.id, organizationId: organization, role };
  };

  const sees = async (scope: PatientScope, id: string) => {
    const params: unknown[] = [id];
    const { rowCount } = await pool.query(
      `SELECT 1 FROM patients WHERE id = $1 AND ${scope.sql(params, undefined, 'id')}`,
      params,
    );
    return rowCount === 1;
  };

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [RecordingAnnouncerModule, BreakGlassModule],
      env: { JWT_SECRET: 'x'.repeat(32), BREAK_GLASS_MINUTES: '45' },
    });
    pool = integration.database.pool;
    service = integration.moduleRef.get(BreakGlassService);
    organizationId = await createOrganization(pool, 'Home');
    const otherOrganization = await createOrganization(pool, 'Other');
    clinician = await principalOf(organizationId, 'clinician');
    teamClinician = await principalOf(organizationId, 'clinician');
    teamCoordinator = await principalOf(organizationId, 'coordinator');
    admin = await principalOf(organizationId, 'admin');
    outsider = await principalOf(otherOrganization, 'clinician');
    patientId = await createPatient(pool, organizationId, { careTeam: false });
    otherOrganizationPatient = await createPatient(pool, otherOrganization, { careTeam: false });
    await createCareTeam(pool, organizationId, {
      name: 'Heart failure',
      userIds: [teamClinician.userId, teamCoordinator.userId],
      patientIds: [patientId],
    });
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('grants BREAK_GLASS_MINUTES of access that the care-team scope honours, audited with the reason and announced to the team', async () => {
    const scope = careTeamScope(organizationId, clinician.userId);
    expect(await sees(scope, patientId)).toBe(false);
    const before = Date.now();
    const grant = await service.grant(clinician, patientId, '  Covering the night shift: patient phoned  ');
    expect(grant.reason).toBe('Covering the night shift: patient phoned');
    const minutes = (grant.expiresAt.getTime() - grant.grantedAt.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(45, 5);
    expect(grant.grantedAt.getTime()).toBeGreaterThan(before - 5_000);
    expect(await sees(scope, patientId)).toBe(true);

    const { rows } = await pool.query<{
      action: string;
      resource_id: string;
      patient_id: string;
      outcome: string;
    }>(
      `SELECT action, resource_id, patient_id, outcome FROM audit_events
       WHERE actor_user_id = $1 AND action = 'patient.break_glass'`,
      [clinician.userId],
    );
    expect(rows).toEqual([
      { action: 'patient.break_glass', resource_id: grant.id, patient_id: patientId, outcome: 'allowed' },
    ]);
    const announcement = announcer.added.at(-1)!;
    expect(announcement).toMatchObject({
      organizationId,
      patientId,
      grantId: grant.id,
      userId: clinician.userId,
      userName: 'Test clinician',
      reason: 'Covering the night shift: patient phoned',
      expiresAt: grant.expiresAt,
    });
    expect([...announcement.recipientUserIds].sort()).toEqual(
      [teamClinician.userId, teamCoordinator.userId].sort(),
    );
    expect(announcer.dispatched).toEqual(expect.arrayContaining([`note-${teamClinician.userId}`]));
  });

  it('ends with its expiry: the scope no longer holds the patient, and the grant stays as the record', async () => {
    const late = await principalOf(organizationId, 'clinician');
    await pool.query(
      `INSERT INTO break_glass_grants (organization_id, patient_id, user_id, reason, granted_at, expires_at)
       VALUES ($1, $2, $3, 'Last week', now() - interval '2 hours', now() - interval '1 hour')`,
      [organizationId, patientId, late.userId],
    );
    expect(await sees(careTeamScope(organizationId, late.userId), patientId)).toBe(false);
    const grant = await service.grant(late, patientId, 'Again today');
    expect(await sees(careTeamScope(organizationId, late.userId), patientId)).toBe(true);
    const listed = await service.list(admin, { limit: 50, offset: 0 });
    const mine = listed.filter((row) => row.userId === late.userId);
    expect(mine.map((row) => [row.reason, row.active])).toEqual([
      ['Again today', true],
      ['Last week', false],
    ]);
    expect(mine[0].id).toBe(grant.id);
  });

  it('a second call while a grant runs records a new grant from now; both are listed, newest first', async () => {
    const twice = await principalOf(organizationId, 'clinician');
    const first = await service.grant(twice, patientId, 'First look');
    const second = await service.grant(twice, patientId, 'Still needed');
    expect(second.id).not.toBe(first.id);
    expect(second.expiresAt.getTime()).toBeGreaterThanOrEqual(first.expiresAt.getTime());
    const listed = (await service.list(admin, { limit: 500, offset: 0 })).filter(
      (row) => row.userId === twice.userId,
    );
    expect(listed.map((row) => row.reason)).toEqual(['Still needed', 'First look']);
    expect(listed[0]).toMatchObject({
      patientName: expect.stringMatching(/^Test /),
      userName: 'Test clinician',
    });
  });

  it("answers 404 for another organisation's patient or a missing one, and audits the refusal", async () => {
    await expect(service.grant(clinician, otherOrganizationPatient, 'Curious')).rejects.toMatchObject({
      status: 404,
    });
    await expect(service.grant(outsider, patientId, 'Curious')).rejects.toMatchObject({ status: 404 });
    expect(await sees(careTeamScope(outsider.organizationId, outsider.userId), patientId)).toBe(false);
    const { rows } = await pool.query<{ outcome: string }>(
      `SELECT outcome FROM audit_events WHERE actor_user_id = $1 AND action = 'patient.break_glass'`,
      [outsider.userId],
    );
    expect(rows).toEqual([{ outcome: 'denied' }]);
  });

  it('refuses a blank reason before anything is written', async () => {
    const count = async () =>
      Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM break_glass_grants')).rows[0].n);
    const before = await count();
    await expect(service.grant(clinician, patientId, '   ')).rejects.toMatchObject({ status: 400 });
    await expect(service.grant(clinician, patientId, 'x'.repeat(2001))).rejects.toMatchObject({
      status: 400,
    });
    expect(await count()).toBe(before);
  });

  it("lists only the admin's organisation's grants, paged", async () => {
    const page = await service.list(admin, { limit: 2, offset: 0 });
    expect(page).toHaveLength(2);
    const next = await service.list(admin, { limit: 2, offset: 2 });
    expect(next[0].id).not.toBe(page[1].id);
    expect(await service.list(outsider, { limit: 50, offset: 0 })).toEqual([]);
  });
});
