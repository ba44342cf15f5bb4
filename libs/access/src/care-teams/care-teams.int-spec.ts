import { randomUUID } from 'node:crypto';
import {
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
} from '@homeward/testing';
import { careTeamRoom, userRoom } from '@homeward/contracts';
import type { Principal } from '@homeward/identity';
import { Database } from '@homeward/platform';
import { AccessPolicy } from '../access-policy';
import type { PatientScope } from '../patient-scope';
import { CareTeamsModule } from './care-teams.module';
import { CareTeamService } from './care-team.service';

/** Care teams against real tables: who sees which patient follows the teams, and nothing crosses organisations. */
describe('care teams: membership, patients and the scope they give (PostgreSQL)', () => {
  let integration: IntegrationModule;
  let teams: CareTeamService;
  let access: AccessPolicy;
  let admin: Principal;
  let nurse: Principal;
  let doctor: Principal;
  let outsiderAdmin: Principal;
  let heart: string;
  let lungs: string;
  let heartPatient: string;
  let lungsPatient: string;
  let unassigned: string;
  let otherPatient: string;

  const pool = () => integration.database.pool;
  const principal = (user: { id: string; organizationId: string; role: Principal['role'] }): Principal => ({
    userId: user.id,
    organizationId: user.organizationId,
    role: user.role,
  });
  const visible = async (scope: PatientScope) => {
    const params: unknown[] = [];
    const { rows } = await pool().query<{ id: string }>(
      `SELECT id FROM patients WHERE ${scope.sql(params, undefined, 'id')} ORDER BY id`,
      params,
    );
    return rows.map((row) => row.id);
  };
  const sorted = (ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'worker', imports: [CareTeamsModule] });
    teams = integration.moduleRef.get(CareTeamService);
    access = integration.moduleRef.get(AccessPolicy);
    const organization = await createOrganization(pool(), 'Teams');
    const otherOrganization = await createOrganization(pool(), 'Elsewhere');
    admin = principal(await createUser(pool(), organization, 'admin'));
    nurse = principal(await createUser(pool(), organization, 'coordinator', { careTeam: false }));
    doctor = principal(await createUser(pool(), organization, 'clinician', { careTeam: false }));
    outsiderAdmin = principal(await createUser(pool(), otherOrganization, 'admin'));
    heart = (await teams.create(admin, 'Heart')).id;
    lungs = (await teams.create(admin, 'Lungs')).id;
    await teams.addMember(admin, heart, nurse.userId);
    await teams.addMember(admin, lungs, doctor.userId);
    heartPatient = await createPatient(pool(), organization, { careTeam: false });
    lungsPatient = await createPatient(pool(), organization, { careTeam: false });
    unassigned = await createPatient(pool(), organization, { careTeam: false });
    otherPatient = await createPatient(pool(), otherOrganization, { careTeam: false });
    await teams.setPatientTeams(admin, heartPatient, [heart]);
    await teams.setPatientTeams(admin, lungsPatient, [lungs]);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('shows a coordinator or clinician the patients of their teams only, and an admin the whole organisation', async () => {
    expect(await visible(access.patientScope(nurse))).toEqual([heartPatient]);
    expect(await visible(access.patientScope(doctor))).toEqual([lungsPatient]);
    expect(await visible(access.patientScope(admin))).toEqual(
      sorted([heartPatient, lungsPatient, unassigned]),
    );
  });

  it('lists the teams with their members and patient counts, refuses a second team of the same name', async () => {
    const listed = await teams.list(admin);
    expect(listed.map((team) => [team.name, team.members.map((m) => m.userId), team.patientCount])).toEqual([
      ['Heart', [nurse.userId], 1],
      ['Lungs', [doctor.userId], 1],
    ]);
    await expect(teams.create(admin, ' heart ')).rejects.toMatchObject({ status: 409 });
  });

  it('lets a coordinator assign a patient to their own teams only, keeping the teams they are not in', async () => {
    await expect(teams.setPatientTeams(nurse, heartPatient, [lungs])).rejects.toMatchObject({ status: 403 });
    await teams.addMember(admin, lungs, nurse.userId);
    expect(await teams.setPatientTeams(nurse, heartPatient, [heart, lungs])).toEqual(sorted([heart, lungs]));
    expect(await visible(access.patientScope(doctor))).toEqual(sorted([heartPatient, lungsPatient]));
    await teams.removeMember(admin, lungs, nurse.userId);
    // The nurse's choice among their teams (Heart) leaves Lungs, which they no longer belong to.
    expect(await teams.setPatientTeams(nurse, heartPatient, [heart])).toEqual(sorted([heart, lungs]));
    await teams.setPatientTeams(admin, heartPatient, [heart]);
    expect(await visible(access.patientScope(doctor))).toEqual([lungsPatient]);
  });

  it('answers 404 for a patient out of scope, exactly like a missing one', async () => {
    await expect(teams.setPatientTeams(nurse, lungsPatient, [heart])).rejects.toMatchObject({ status: 404 });
    await expect(teams.setPatientTeams(nurse, randomUUID(), [heart])).rejects.toMatchObject({ status: 404 });
    await expect(teams.setPatientTeams(nurse, unassigned, [heart])).rejects.toMatchObject({ status: 404 });
  });

  it('refuses another organisation: its team, user and patient answer 404 and nothing changes', async () => {
    await expect(teams.addMember(outsiderAdmin, heart, outsiderAdmin.userId)).rejects.toMatchObject({
      status: 404,
    });
    await expect(teams.addMember(admin, heart, outsiderAdmin.userId)).rejects.toMatchObject({ status: 404 });
    await expect(teams.setPatientTeams(outsiderAdmin, heartPatient, [])).rejects.toMatchObject({
      status: 404,
    });
    await expect(teams.setPatientTeams(admin, otherPatient, [heart])).rejects.toMatchObject({ status: 404 });
    const outsiderTeam = (await teams.create(outsiderAdmin, 'Heart')).id;
    await expect(teams.setPatientTeams(admin, heartPatient, [outsiderTeam])).rejects.toMatchObject({
      status: 404,
    });
    expect((await teams.list(outsiderAdmin)).map((team) => team.id)).toEqual([outsiderTeam]);
    expect(await visible(access.patientScope(outsiderAdmin))).toEqual([otherPatient]);
    const { rows } = await pool().query('SELECT 1 FROM care_team_patients WHERE patient_id = $1', [
      otherPatient,
    ]);
    expect(rows).toEqual([]);
  });

  it('routes a patient’s events to the organisation’s room and its teams’ rooms, and a member’s socket to their teams', async () => {
    expect(
      await access.patientRooms({ organizationId: admin.organizationId, patientId: heartPatient }),
    ).toEqual([`org:${admin.organizationId}`, `care-team:${heart}`]);
    expect(
      await access.patientRooms({ organizationId: admin.organizationId, patientId: unassigned }),
    ).toEqual([`org:${admin.organizationId}`]);
    expect(await access.socketRooms(nurse)).toEqual([`care-team:${heart}`, `user:${nurse.userId}`]);
    expect(await access.socketRooms(admin)).toEqual([`org:${admin.organizationId}`, `user:${admin.userId}`]);
  });

  it('puts a new patient in its registrar’s teams, refuses a registrar in none, and leaves an admin’s unassigned unless told', async () => {
    const register = (who: Principal, careTeamIds?: string[]) =>
      integration.moduleRef.get(Database).transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO patients (organization_id, given_name, family_name, birth_date)
           VALUES ($1, 'New', 'Patient', '1950-01-01') RETURNING id`,
          [who.organizationId],
        );
        return teams.assignNewPatient(who, rows[0].id, careTeamIds, tx);
      });
    expect(await register(nurse)).toEqual([heart]);
    expect(await register(admin)).toEqual([]);
    expect(await register(admin, [lungs])).toEqual([lungs]);
    await expect(register(nurse, [lungs])).rejects.toMatchObject({ status: 403 });
    const loner = principal(
      await createUser(pool(), admin.organizationId, 'coordinator', { careTeam: false }),
    );
    await expect(register(loner)).rejects.toMatchObject({ status: 422 });
  });

  it('renames a team (not onto another team’s name) and deletes one only when it holds no patients', async () => {
    const spare = (await teams.create(admin, 'Spare')).id;
    await teams.addMember(admin, spare, doctor.userId);
    await expect(teams.rename(admin, spare, 'heart')).rejects.toMatchObject({
      status: 409,
      response: { code: 'care_team_name_taken' },
    });
    expect(await teams.rename(admin, spare, ' Respiratory ')).toMatchObject({
      id: spare,
      name: 'Respiratory',
    });
    await expect(teams.rename(outsiderAdmin, spare, 'Mine')).rejects.toMatchObject({ status: 404 });
    await expect(teams.delete(outsiderAdmin, spare)).rejects.toMatchObject({ status: 404 });

    // A team holding a patient stays: its members would lose sight of the patient.
    const patient = await createPatient(pool(), admin.organizationId, { careTeam: false });
    await teams.setPatientTeams(admin, patient, [spare]);
    await expect(teams.delete(admin, spare)).rejects.toMatchObject({
      status: 409,
      response: { code: 'care_team_not_empty', patientCount: 1 },
    });
    expect(await visible(access.patientScope(doctor))).toContain(patient);

    await teams.setPatientTeams(admin, patient, [lungs]);
    await teams.delete(admin, spare);
    expect((await teams.list(admin)).map((team) => team.name)).toEqual(['Heart', 'Lungs']);
    expect(await access.socketRooms(doctor)).toEqual([careTeamRoom(lungs), userRoom(doctor.userId)]);
    await expect(teams.delete(admin, spare)).rejects.toMatchObject({ status: 404 });
  });

  it('records every change in the audit trail', async () => {
    const { rows } = await pool().query<{ action: string }>(
      `SELECT DISTINCT action FROM audit_events WHERE organization_id = $1 AND action LIKE 'care_team.%' ORDER BY action`,
      [admin.organizationId],
    );
    expect(rows.map((row) => row.action)).toEqual([
      'care_team.create',
      'care_team.delete',
      'care_team.list',
      'care_team.member.add',
      'care_team.member.remove',
      'care_team.patients.set',
      'care_team.rename',
    ]);
  });
});
