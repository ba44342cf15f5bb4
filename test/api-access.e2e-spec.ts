import { io } from 'socket.io-client';
import { ApiClient, TestStack, createOrganization, createUser, type TestUser } from '@homeward/testing';

describe('API access: login, authentication, roles and organisation boundaries', () => {
  let stack: TestStack;
  let coordinatorA: TestUser;
  let clinicianA: TestUser;
  let coordinatorB: TestUser;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let patientA: string;
  const anonymous = () => new ApiClient(stack.apiUrl);

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api'],
      env: { LOGIN_RATE_LIMIT: '1000' },
    });
    const orgA = await createOrganization(stack.database.pool, 'Org A');
    const orgB = await createOrganization(stack.database.pool, 'Org B');
    coordinatorA = await createUser(stack.database.pool, orgA, 'coordinator');
    clinicianA = await createUser(stack.database.pool, orgA, 'clinician');
    coordinatorB = await createUser(stack.database.pool, orgB, 'coordinator');
    apiA = await anonymous().login(coordinatorA.email, coordinatorA.password);
    apiB = await anonymous().login(coordinatorB.email, coordinatorB.password);
    patientA = (await apiA.createPatient()).id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('logs in with email and password and returns a JWT naming the user', async () => {
    const response = await anonymous().request<{ accessToken: string; user: { id: string; role: string } }>(
      'POST',
      '/api/auth/login',
      {
        email: coordinatorA.email.toUpperCase(),
        password: coordinatorA.password,
      },
    );
    expect(response.status).toBe(200);
    expect(response.body.accessToken.split('.')).toHaveLength(3);
    expect(response.body.user).toMatchObject({ id: coordinatorA.id, role: 'coordinator' });
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await anonymous().request<{ code: string }>('POST', '/api/auth/login', {
      email: coordinatorA.email,
      password: 'nope-nope',
    });
    const unknown = await anonymous().request<{ code: string }>('POST', '/api/auth/login', {
      email: 'nobody@x.test',
      password: 'nope-nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('rejects a malformed login body with the field at fault', async () => {
    const response = await anonymous().request<{ message: string[] }>('POST', '/api/auth/login', {
      email: 'not-an-email',
      password: 'x',
      extra: 1,
    });
    expect(response.status).toBe(400);
    expect(response.body.message.join(' ')).toMatch(/email must be an email/);
    expect(response.body.message.join(' ')).toMatch(/property extra should not exist/);
  });

  it('requires a valid token on every patient and alert route', async () => {
    for (const [method, path] of [
      ['GET', '/api/alerts'],
      ['GET', '/api/patients'],
      ['POST', '/api/patients'],
      ['GET', `/api/patients/${patientA}`],
      ['GET', `/api/patients/${patientA}/vitals`],
      ['POST', `/api/patients/${patientA}/devices`],
    ]) {
      expect((await anonymous().request(method, path, method === 'POST' ? {} : undefined)).status).toBe(401);
      expect((await new ApiClient(stack.apiUrl, 'forged.token.value').request(method, path)).status).toBe(
        401,
      );
    }
  });

  it('answers 404 for another organisation’s patient, its vitals and its devices', async () => {
    expect((await apiA.request('GET', `/api/patients/${patientA}`)).status).toBe(200);
    expect((await apiB.request('GET', `/api/patients/${patientA}`)).status).toBe(404);
    expect((await apiB.request('GET', `/api/patients/${patientA}/vitals`)).status).toBe(404);
    expect((await apiB.request('POST', `/api/patients/${patientA}/devices`, { kind: 'scale' })).status).toBe(
      404,
    );
    const listB = await apiB.request<{ items: Array<{ id: string }> }>('GET', '/api/patients');
    expect(listB.body.items.map((p) => p.id)).not.toContain(patientA);
  });

  it('audits every access to patient data, allowed or denied, with the request id', async () => {
    const { rows: last } = await stack.database.pool.query<{ max: string | null }>(
      'SELECT max(id)::text AS max FROM audit_events',
    );
    const since = last[0].max ?? '0';
    expect(
      (
        await apiA.request('GET', `/api/patients/${patientA}/vitals`, undefined, {
          'x-request-id': 'audit-req-1',
        })
      ).status,
    ).toBe(200);
    expect(
      (await apiB.request('GET', `/api/patients/${patientA}`, undefined, { 'x-request-id': 'audit-req-2' }))
        .status,
    ).toBe(404);
    const { rows } = await stack.database.pool.query(
      `SELECT action, outcome, actor_user_id, organization_id, patient_id, resource_id, request_id
       FROM audit_events WHERE id > $1 ORDER BY id`,
      [since],
    );
    expect(rows).toEqual([
      {
        action: 'vitals.read',
        outcome: 'allowed',
        actor_user_id: coordinatorA.id,
        organization_id: coordinatorA.organizationId,
        patient_id: patientA,
        resource_id: patientA,
        request_id: 'audit-req-1',
      },
      {
        action: 'patient.read',
        outcome: 'denied',
        actor_user_id: coordinatorB.id,
        organization_id: coordinatorB.organizationId,
        patient_id: null,
        resource_id: patientA,
        request_id: 'audit-req-2',
      },
    ]);
  });

  it('lets clinicians read but not register patients or devices', async () => {
    const clinician = await anonymous().login(clinicianA.email, clinicianA.password);
    expect((await clinician.request('GET', `/api/patients/${patientA}`)).status).toBe(200);
    expect(
      (
        await clinician.request('POST', '/api/patients', {
          givenName: 'A',
          familyName: 'B',
          birthDate: '1950-01-01',
        })
      ).status,
    ).toBe(403);
    expect(
      (await clinician.request('POST', `/api/patients/${patientA}/devices`, { kind: 'scale' })).status,
    ).toBe(403);
  });

  it('validates patient and device input', async () => {
    const badDate = await apiA.request<{ message: string[] }>('POST', '/api/patients', {
      givenName: 'A',
      familyName: 'B',
      birthDate: '1950-02-30',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.message.join(' ')).toMatch(/birthDate/);
    const badKind = await apiA.request<{ message: string[] }>('POST', `/api/patients/${patientA}/devices`, {
      kind: 'toaster',
    });
    expect(badKind.status).toBe(400);
    expect((await apiA.request('GET', '/api/patients/not-a-uuid')).status).toBe(400);
  });

  it('refuses socket connections without a valid token', async () => {
    const attempt = (auth: Record<string, unknown>) =>
      new Promise<string>((resolve) => {
        const socket = io(`${stack.apiUrl}/alerts`, { auth, transports: ['websocket'], reconnection: false });
        socket.once('connect', () => {
          socket.disconnect();
          resolve('connected');
        });
        socket.once('connect_error', (error) => resolve(error.message));
      });
    expect(await attempt({})).toMatch(/unauthorized/);
    expect(await attempt({ token: 'forged.token.value' })).toMatch(/unauthorized/);
    expect(await attempt({ token: apiA.accessToken })).toBe('connected');
  });

  it('serves liveness, readiness over PostgreSQL, Redis and MQTT, and the OpenAPI document', async () => {
    expect((await anonymous().request('GET', '/api/health/live')).status).toBe(200);
    const ready = await anonymous().request<{ status: string; info: Record<string, { status: string }> }>(
      'GET',
      '/api/health/ready',
    );
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.info).sort()).toEqual(['database', 'mqtt', 'redis']);
    const docs = await anonymous().request<{ paths: Record<string, unknown> }>('GET', '/api/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/patients',
        '/api/patients/{patientId}/devices',
        '/api/patients/{patientId}/vitals',
        '/api/alerts',
      ]),
    );
  });
});
