import {
  ApiClient,
  TestStack,
  createOrganization,
  createPatient,
  createUser,
  type TestUser,
} from '@homeward/testing';

interface Team {
  id: string;
  name: string;
  members: Array<{ userId: string; role: string }>;
  patientCount: number;
}
interface Patient {
  id: string;
  careTeamIds: string[];
}

/** Care teams over HTTP: admins manage them, coordinators assign their own, patients carry their teams. */
describe('care teams: routes, registration into teams and the unassigned list', () => {
  let stack: TestStack;
  let organization: string;
  let admin: ApiClient;
  let coordinatorUser: TestUser;
  let coordinator: ApiClient;
  let clinician: ApiClient;
  let clinicianUser: TestUser;
  let wards: Team;
  let clinic: Team;
  const signIn = (user: TestUser) => new ApiClient(stack.apiUrl).login(user.email, user.password);
  const teams = async () => (await admin.request<{ items: Team[] }>('GET', '/api/care-teams')).body.items;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000000' } });
    const pool = stack.database.pool;
    organization = await createOrganization(pool, 'Riverside');
    admin = await signIn(await createUser(pool, organization, 'admin'));
    coordinatorUser = await createUser(pool, organization, 'coordinator', { careTeam: false });
    clinicianUser = await createUser(pool, organization, 'clinician', { careTeam: false });
    coordinator = await signIn(coordinatorUser);
    clinician = await signIn(clinicianUser);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lets admins create teams and choose their members, listed with patient counts', async () => {
    const created = await admin.request<Team>('POST', '/api/care-teams', { name: 'Wards' });
    expect(created.status).toBe(201);
    expect((await admin.request('POST', '/api/care-teams', { name: 'WARDS' })).status).toBe(409);
    expect((await admin.request('POST', '/api/care-teams', { name: '   ' })).status).toBe(400);
    expect((await coordinator.request('POST', '/api/care-teams', { name: 'Mine' })).status).toBe(403);
    const other = await admin.request<Team>('POST', '/api/care-teams', { name: 'Clinic' });
    for (const [team, user] of [
      [created.body.id, coordinatorUser.id],
      [other.body.id, clinicianUser.id],
    ])
      expect((await admin.request('PUT', `/api/care-teams/${team}/members/${user}`)).status).toBe(204);
    // Adding twice is no change.
    expect(
      (await admin.request('PUT', `/api/care-teams/${other.body.id}/members/${clinicianUser.id}`)).status,
    ).toBe(204);
    // By name.
    [clinic, wards] = await teams();
    expect([clinic.name, wards.name]).toEqual(['Clinic', 'Wards']);
    expect(wards.members.map((member) => member.userId)).toEqual([coordinatorUser.id]);
    expect(clinic.members.map((member) => member.userId)).toEqual([clinicianUser.id]);
    // Everyone of the organisation may read the teams (the console's assignment panel).
    expect((await clinician.request('GET', '/api/care-teams')).status).toBe(200);
  });

  it("registers a coordinator's patient into their teams, refuses one in no team, and lists an admin's unassigned", async () => {
    const own = await coordinator.request<Patient>('POST', '/api/patients', {
      givenName: 'Maria',
      familyName: 'Alvarez',
      birthDate: '1948-03-14',
    });
    expect(own.status).toBe(201);
    expect(own.body.careTeamIds).toEqual([wards.id]);
    const named = await coordinator.request('POST', '/api/patients', {
      givenName: 'Tom',
      familyName: 'Other',
      birthDate: '1950-01-01',
      careTeamIds: [clinic.id],
    });
    expect(named).toMatchObject({ status: 403, body: { code: 'not_care_team_member' } });
    const loner = await signIn(
      await createUser(stack.database.pool, organization, 'coordinator', { careTeam: false }),
    );
    expect(
      await loner.request('POST', '/api/patients', {
        givenName: 'No',
        familyName: 'Team',
        birthDate: '1950-01-01',
      }),
    ).toMatchObject({ status: 422, body: { code: 'no_care_team' } });

    const orphan = await admin.request<Patient>('POST', '/api/patients', {
      givenName: 'Una',
      familyName: 'Signed',
      birthDate: '1951-01-01',
    });
    expect(orphan.body.careTeamIds).toEqual([]);
    const unassigned = await admin.request<{ items: Patient[] }>('GET', '/api/patients?unassigned=true');
    expect(unassigned.body.items.map((patient) => patient.id)).toEqual([orphan.body.id]);
    // Nobody but admins sees an unassigned patient.
    expect((await coordinator.request('GET', `/api/patients/${orphan.body.id}`)).status).toBe(404);
    expect(
      (await coordinator.request<{ items: Patient[] }>('GET', '/api/patients?unassigned=true')).body.items,
    ).toEqual([]);

    // An admin assigns it; it leaves the unassigned list and reaches the team.
    const assigned = await admin.request<{ careTeamIds: string[] }>(
      'PUT',
      `/api/patients/${orphan.body.id}/care-teams`,
      { careTeamIds: [clinic.id] },
    );
    expect(assigned).toMatchObject({ status: 200, body: { careTeamIds: [clinic.id] } });
    expect(
      (await admin.request<{ items: Patient[] }>('GET', '/api/patients?unassigned=true')).body.items,
    ).toEqual([]);
    expect(
      (await clinician.request<Patient>('GET', `/api/patients/${orphan.body.id}`)).body.careTeamIds,
    ).toEqual([clinic.id]);
    expect((await coordinator.request('GET', `/api/patients/${orphan.body.id}`)).status).toBe(404);
  });

  it('lets a coordinator assign only to their own teams, and clinicians not at all', async () => {
    const patient = await createPatient(stack.database.pool, organization, { careTeam: 'Wards' });
    expect(
      await coordinator.request('PUT', `/api/patients/${patient}/care-teams`, { careTeamIds: [clinic.id] }),
    ).toMatchObject({ status: 403, body: { code: 'not_care_team_member' } });
    expect(
      (await clinician.request('PUT', `/api/patients/${patient}/care-teams`, { careTeamIds: [clinic.id] }))
        .status,
    ).toBe(403);
    expect(
      (await coordinator.request('PUT', `/api/patients/${patient}/care-teams`, { careTeamIds: [wards.id] }))
        .status,
    ).toBe(200);
    const missingTeam = '00000000-0000-4000-8000-000000000000';
    expect(
      (await admin.request('PUT', `/api/patients/${patient}/care-teams`, { careTeamIds: [missingTeam] }))
        .status,
    ).toBe(404);
  });

  it('creates a user into care teams', async () => {
    const created = await admin.request<{ id: string }>('POST', '/api/users', {
      email: 'new.nurse@riverside.example',
      name: 'New Nurse',
      role: 'coordinator',
      careTeamIds: [wards.id],
    });
    expect(created.status).toBe(201);
    expect((await teams()).find((team) => team.id === wards.id)?.members.map((m) => m.userId)).toContain(
      created.body.id,
    );
  });

  it('renames and deletes over HTTP, refusing bad names, other organisations, other roles and a team with patients', async () => {
    const spare = await admin.request<Team>('POST', '/api/care-teams', { name: 'Spare room' });
    const path = `/api/care-teams/${spare.body.id}`;
    for (const name of ['Bad\u0000name', 'x'.repeat(121), '   ', 'Right\u202eto left', 42])
      expect((await admin.request('PATCH', path, { name })).status).toBe(400);
    expect((await admin.request('PATCH', path, { name: 'Wards' })).body).toMatchObject({
      code: 'care_team_name_taken',
    });
    expect((await coordinator.request('PATCH', path, { name: 'Mine' })).status).toBe(403);
    expect((await coordinator.request('DELETE', path)).status).toBe(403);
    expect((await admin.request('PATCH', '/api/care-teams/not-a-uuid', { name: 'X' })).status).toBe(400);

    const elsewhere = await createOrganization(stack.database.pool, 'Elsewhere');
    const outsider = await signIn(await createUser(stack.database.pool, elsewhere, 'admin'));
    expect((await outsider.request('PATCH', path, { name: 'Taken over' })).status).toBe(404);
    expect((await outsider.request('DELETE', path)).status).toBe(404);

    const renamed = await admin.request<Team>('PATCH', path, { name: 'Night cover' });
    expect(renamed).toMatchObject({ status: 200, body: { id: spare.body.id, name: 'Night cover' } });
    // Wards holds patients by now: refused, and still listed.
    expect((await admin.request('DELETE', `/api/care-teams/${wards.id}`)).body).toMatchObject({
      code: 'care_team_not_empty',
    });
    expect((await admin.request('DELETE', path)).status).toBe(204);
    expect((await admin.request('DELETE', path)).status).toBe(404);
    expect((await teams()).map((team) => team.name)).toEqual(expect.arrayContaining(['Wards', 'Clinic']));
    expect((await teams()).map((team) => team.name)).not.toContain('Night cover');
  });

  it('changes nothing for organisationId, role, __proto__ or constructor in a body', async () => {
    const patient = await createPatient(stack.database.pool, organization, { careTeam: 'Wards' });
    const foreign = '00000000-0000-4000-8000-000000000000';
    for (const body of [
      { name: 'Sneaky', organizationId: foreign },
      { name: 'Sneaky', role: 'admin' },
    ])
      expect((await admin.request('POST', '/api/care-teams', body)).status).toBe(400);
    for (const body of [
      { careTeamIds: [clinic.id], organizationId: foreign },
      { careTeamIds: [clinic.id], role: 'admin' },
    ])
      expect((await coordinator.request('PUT', `/api/patients/${patient}/care-teams`, body)).status).toBe(
        400,
      );
    // class-transformer drops `__proto__` and `constructor` before validation, so they reach nothing.
    for (const body of [
      JSON.parse(
        `{"careTeamIds": ["${wards.id}"], "__proto__": {"role": "admin", "careTeamIds": ["${clinic.id}"]}}`,
      ) as unknown,
      { careTeamIds: [wards.id], constructor: { prototype: { role: 'admin' } } },
    ])
      expect(
        (await coordinator.request('PUT', `/api/patients/${patient}/care-teams`, body)).status,
      ).toBeLessThan(500);
    for (const body of [
      JSON.parse(`{"name": "Proto", "__proto__": {"organizationId": "${foreign}"}}`) as unknown,
      { name: 'Constructed', constructor: { prototype: { organizationId: foreign } } },
    ])
      expect((await admin.request('POST', '/api/care-teams', body)).status).toBeLessThan(500);
    const { rows } = await stack.database.pool.query<{ care_team_id: string }>(
      'SELECT care_team_id FROM care_team_patients WHERE patient_id = $1',
      [patient],
    );
    expect(rows.map((row) => row.care_team_id)).toEqual([wards.id]);
    const foreignTeams = await stack.database.pool.query(
      'SELECT 1 FROM care_teams WHERE organization_id <> $1 AND name IN ($2, $3)',
      [organization, 'Proto', 'Constructed'],
    );
    expect(foreignTeams.rows).toEqual([]);
  });
});
