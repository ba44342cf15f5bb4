import { ApiClient, TestStack, createOrganization, createUser } from '@homeward/testing';

interface PatientBody {
  id: string;
  phone: string | null;
  email: string | null;
}

/** A patient's phone and email: given at registration, changed on the patient view, audited. */
describe('how to reach a patient (PATCH /api/patients/{id})', () => {
  let stack: TestStack;
  let coordinator: ApiClient;
  let clinician: ApiClient;
  let stranger: ApiClient;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '100' } });
    const organization = await createOrganization(stack.database.pool, 'Riverside Care');
    const elsewhere = await createOrganization(stack.database.pool, 'Elsewhere Health');
    const login = async (user: { email: string; password: string }) =>
      new ApiClient(stack.apiUrl).login(user.email, user.password);
    coordinator = await login(await createUser(stack.database.pool, organization, 'coordinator'));
    clinician = await login(await createUser(stack.database.pool, organization, 'clinician'));
    stranger = await login(await createUser(stack.database.pool, elsewhere, 'coordinator'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const auditCount = async (patientId: string, outcome: string) =>
    Number(
      (
        await stack.database.pool.query<{ count: string }>(
          `SELECT count(*) FROM audit_events WHERE action = 'patient.contact.set' AND resource_id = $1 AND outcome = $2`,
          [patientId, outcome],
        )
      ).rows[0].count,
    );

  it('registers a patient with a phone and email, and shows them when read', async () => {
    const created = await coordinator.request<PatientBody>('POST', '/api/patients', {
      givenName: 'Maria',
      familyName: 'Alvarez',
      birthDate: '1948-03-14',
      phone: '+447700900123',
      email: 'maria@example.org',
    });
    expect(created.status).toBe(201);
    const read = await coordinator.request<PatientBody>('GET', `/api/patients/${created.body.id}`);
    expect(read.body).toMatchObject({ phone: '+447700900123', email: 'maria@example.org' });
    const plain = await coordinator.request<PatientBody>('POST', '/api/patients', {
      givenName: 'Lena',
      familyName: 'Fischer',
      birthDate: '1950-01-01',
    });
    expect(plain.body).toMatchObject({ phone: null, email: null });
  });

  it('lets coordinators and clinicians change one field, keep the other, and clear one with null, each audited', async () => {
    const patient = await coordinator.createPatient('Ada', 'Lovelace');
    const phone = await clinician.request<PatientBody>('PATCH', `/api/patients/${patient.id}`, {
      phone: '+15005550006',
    });
    expect(phone.status).toBe(200);
    expect(phone.body).toMatchObject({ phone: '+15005550006', email: null });
    const email = await coordinator.request<PatientBody>('PATCH', `/api/patients/${patient.id}`, {
      email: 'ada@example.org',
    });
    expect(email.body).toMatchObject({ phone: '+15005550006', email: 'ada@example.org' });
    const cleared = await coordinator.request<PatientBody>('PATCH', `/api/patients/${patient.id}`, {
      phone: null,
    });
    expect(cleared.body).toMatchObject({ phone: null, email: 'ada@example.org' });
    expect(await auditCount(patient.id, 'allowed')).toBe(3);
  });

  it('refuses numbers not in E.164 form, addresses that are not email addresses, NUL bytes and unknown fields', async () => {
    const patient = await coordinator.createPatient('Grace', 'Hopper');
    for (const body of [
      { phone: '07700 900123' },
      { phone: '+0447700900123' },
      { phone: '+44770090012345678' },
      { email: 'not an address' },
      { email: `${'a'.repeat(250)}@example.org` },
      { email: 'ada\u0000@example.org' },
      { givenName: 'Renamed' },
    ]) {
      const response = await coordinator.request('PATCH', `/api/patients/${patient.id}`, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    const registered = await coordinator.request('POST', '/api/patients', {
      givenName: 'Bad',
      familyName: 'Number',
      birthDate: '1950-01-01',
      phone: '555-0100',
    });
    expect(registered.status).toBe(400);
    const read = await coordinator.request<PatientBody>('GET', `/api/patients/${patient.id}`);
    expect(read.body).toMatchObject({ phone: null, email: null });
  });

  it("answers 404 for another organisation's patient, changes nothing, and audits the attempt as denied", async () => {
    const patient = await coordinator.createPatient('Katherine', 'Johnson');
    const response = await stranger.request('PATCH', `/api/patients/${patient.id}`, {
      phone: '+15005550006',
    });
    expect(response.status).toBe(404);
    const read = await coordinator.request<PatientBody>('GET', `/api/patients/${patient.id}`);
    expect(read.body.phone).toBeNull();
    expect(await auditCount(patient.id, 'denied')).toBe(1);
  });

  it('keeps the same rules in the database for rows written around the API', async () => {
    const patient = await coordinator.createPatient('Mary', 'Jackson');
    await expect(
      stack.database.pool.query('UPDATE patients SET phone = $1 WHERE id = $2', ['555-0100', patient.id]),
    ).rejects.toThrow(/check constraint/);
  });
});
