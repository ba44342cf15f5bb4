import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import {
  ApiClient,
  LiveKitDouble,
  TestStack,
  createOrganization,
  createUser,
  type TestUser,
} from '@homeward/testing';

describe('API access: login, authentication, roles and organisation boundaries', () => {
  let stack: TestStack;
  let livekit: LiveKitDouble;
  let coordinatorA: TestUser;
  let clinicianA: TestUser;
  let coordinatorB: TestUser;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let orgA: string;
  let patientA: string;
  const anonymous = () => new ApiClient(stack.apiUrl);

  beforeAll(async () => {
    // Video visits against a LiveKit RoomService double (no LiveKit server runs here).
    livekit = await LiveKitDouble.start();
    stack = await TestStack.start({
      apps: ['api'],
      env: { LOGIN_RATE_LIMIT: '1000', ...livekit.env() },
    });
    orgA = await createOrganization(stack.database.pool, 'Org A');
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
    await livekit?.stop();
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
    // Only the request id tells them apart.
    const { requestId: wrongId, ...wrongBody } = wrong.body as { requestId?: string };
    const { requestId: unknownId, ...unknownBody } = unknown.body as { requestId?: string };
    expect(wrongBody).toEqual(unknownBody);
    expect(wrongId).not.toEqual(unknownId);
  });

  it('names the request in every error body, as in the X-Request-Id header', async () => {
    const response = await fetch(`${stack.apiUrl}/api/patients`, {
      headers: { 'x-request-id': 'support-ticket-42' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('support-ticket-42');
    expect(await response.json()).toMatchObject({ statusCode: 401, requestId: 'support-ticket-42' });
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

  it('lets only clinicians set a dry weight, which every role then reads', async () => {
    const admin = await createUser(stack.database.pool, orgA, 'admin');
    const adminApi = await anonymous().login(admin.email, admin.password);
    const clinician = await anonymous().login(clinicianA.email, clinicianA.password);
    const path = `/api/patients/${patientA}/baselines`;
    // Setting a dry weight is a clinical decision: not the coordinator's nor the admin's.
    expect((await apiA.request('PUT', path, { dryWeightKg: 80 })).status).toBe(403);
    expect((await adminApi.request('PUT', path, { dryWeightKg: 80 })).status).toBe(403);
    expect((await clinician.request('PUT', path, { dryWeightKg: '80' })).status).toBe(400);
    const set = await clinician.request<{ dryWeightKg: number; setBy: string; version: number }>(
      'PUT',
      path,
      {
        dryWeightKg: 80,
        note: 'Euvolaemic at discharge',
      },
    );
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ dryWeightKg: 80, setBy: clinicianA.id, version: 1 });
    const read = await apiA.request<{ dryWeightKg: number; versions: unknown[] }>('GET', path);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ dryWeightKg: 80, note: 'Euvolaemic at discharge' });
    expect(read.body.versions).toHaveLength(1);
    expect((await apiB.request('GET', path)).status).toBe(404);
  });

  it('lets clinicians and coordinators log and void care time, admins only read it, other organisations not at all', async () => {
    const admin = await createUser(stack.database.pool, orgA, 'admin');
    const adminApi = await anonymous().login(admin.email, admin.password);
    const clinician = await anonymous().login(clinicianA.email, clinicianA.password);
    const path = `/api/patients/${patientA}/care-time`;
    const performedAt = new Date(Date.now() - 60_000);
    const month = performedAt.toISOString().slice(0, 7); // the patient has no time zone: UTC
    const call = { kind: 'call', seconds: 600, interactive: true, performedAt: performedAt.toISOString() };
    const { rows: last } = await stack.database.pool.query<{ max: string | null }>(
      'SELECT max(id)::text AS max FROM audit_events',
    );

    expect((await anonymous().request('GET', path)).status).toBe(401);
    expect((await adminApi.request('POST', path, call)).status).toBe(403);
    expect((await apiB.request('POST', path, call)).status).toBe(404);
    expect((await apiB.request('GET', path)).status).toBe(404);
    const refusedKind = await clinician.request<{ message: string[] }>('POST', path, {
      ...call,
      kind: 'video_visit',
    });
    expect(refusedKind.status).toBe(400);
    expect(refusedKind.body.message.join(' ')).toMatch(/kind must be one of call, review, other/);
    const refusedSeconds = await clinician.request<{ message: string[] }>('POST', path, {
      ...call,
      seconds: 90_000,
    });
    expect(refusedSeconds.status).toBe(400);
    expect(refusedSeconds.body.message.join(' ')).toMatch(/between 1 and 86400/);
    const refusedNul = await clinician.request<{ code: string }>('POST', path, { ...call, note: 'a\u0000b' });
    expect(refusedNul.status).toBe(400);
    expect(refusedNul.body.code).toBe('unstorable_text');
    const refusedMonth = await clinician.request<{ code: string }>('GET', `${path}?month=2026-13`);
    expect(refusedMonth.status).toBe(400);
    expect(refusedMonth.body.code).toBe('care_time_month');

    const logged = await clinician.request<{ id: string; performedBy: string }>('POST', path, {
      ...call,
      note: 'Talked through the cuff',
    });
    expect(logged.status).toBe(201);
    expect(logged.body.performedBy).toBe(clinicianA.id);
    const byCoordinator = await apiA.request<{ id: string; performedBy: string }>('POST', path, {
      ...call,
      kind: 'review',
      interactive: false,
      seconds: 120,
    });
    expect(byCoordinator.status).toBe(201);
    expect(byCoordinator.body.performedBy).toBe(coordinatorA.id);

    const voidPath = `${path}/${byCoordinator.body.id}/void`;
    expect((await adminApi.request('POST', voidPath, { reason: 'Wrong patient' })).status).toBe(403);
    expect((await apiB.request('POST', voidPath, { reason: 'Wrong patient' })).status).toBe(404);
    const voided = await clinician.request<{ voidReason: string; voidedAt: string }>('POST', voidPath, {
      reason: 'Wrong patient',
    });
    expect(voided.status).toBe(200);
    expect(voided.body.voidReason).toBe('Wrong patient');
    const again = await apiA.request<{ code: string }>('POST', voidPath, { reason: 'Again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_voided');

    const read = await adminApi.request<{
      items: unknown[];
      totalSeconds: number;
      interactiveSeconds: number;
    }>('GET', `${path}?month=${month}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ totalSeconds: 600, interactiveSeconds: 600 });
    expect(read.body.items).toHaveLength(2);

    const { rows } = await stack.database.pool.query<{ action: string; outcome: string }>(
      `SELECT action, outcome FROM audit_events WHERE id > $1 AND action LIKE 'care_time.%' ORDER BY id`,
      [last[0].max ?? '0'],
    );
    expect(rows).toEqual([
      { action: 'care_time.record', outcome: 'allowed' },
      { action: 'care_time.record', outcome: 'allowed' },
      { action: 'care_time.void', outcome: 'allowed' },
      { action: 'care_time.read', outcome: 'allowed' },
    ]);
  });

  it('lets clinicians and coordinators run video visits, admins only read them, other organisations not at all', async () => {
    const { rows: last } = await stack.database.pool.query<{ max: string | null }>(
      'SELECT max(id)::text AS max FROM audit_events',
    );
    const since = last[0].max ?? '0';
    const clinician = await anonymous().login(clinicianA.email, clinicianA.password);
    const admin = await createUser(stack.database.pool, orgA, 'admin');
    const adminApi = await anonymous().login(admin.email, admin.password);
    const created = await clinician.request<{ id: string; patientLink: { url: string } }>(
      'POST',
      '/api/visits',
      {
        patientId: patientA,
      },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await adminApi.request('POST', '/api/visits', { patientId: patientA })).status).toBe(403);
    expect((await adminApi.request('POST', `/api/visits/${id}/join`)).status).toBe(403);
    expect((await adminApi.request('POST', `/api/visits/${id}/end`)).status).toBe(403);
    expect((await adminApi.request('GET', `/api/visits/${id}`)).status).toBe(200);
    expect((await apiB.request('GET', `/api/visits/${id}`)).status).toBe(404);
    expect((await apiB.request('POST', '/api/visits', { patientId: patientA })).status).toBe(404);
    expect((await anonymous().request('GET', '/api/visits')).status).toBe(401);
    expect((await anonymous().request('POST', `/api/visits/${id}/join`)).status).toBe(401);
    expect((await apiA.request('POST', `/api/visits/${id}/join`)).status).toBe(200);
    expect((await apiA.request('POST', `/api/visits/${id}/notes`, { text: 'Seen on video.' })).status).toBe(
      200,
    );
    expect((await apiA.request('GET', `/api/visits?patientId=${patientA}`)).status).toBe(200);
    const code = new URL(created.body.patientLink.url).searchParams.get('code');
    expect((await anonymous().request('POST', '/api/visits/join', { code })).status).toBe(200);
    expect((await clinician.request('POST', `/api/visits/${id}/end`)).status).toBe(200);

    const { rows } = await stack.database.pool.query<{ action: string; outcome: string; actor_role: string }>(
      `SELECT action, outcome, actor_role FROM audit_events
       WHERE id > $1 AND action LIKE 'visit.%' AND (resource_id = $2 OR action = 'visit.list') ORDER BY id`,
      [since, id],
    );
    expect(rows).toEqual([
      { action: 'visit.create', outcome: 'allowed', actor_role: 'clinician' },
      { action: 'visit.link.issue', outcome: 'allowed', actor_role: 'clinician' },
      { action: 'visit.read', outcome: 'allowed', actor_role: 'admin' },
      { action: 'visit.read', outcome: 'denied', actor_role: 'coordinator' },
      { action: 'visit.join', outcome: 'allowed', actor_role: 'coordinator' },
      { action: 'visit.notes', outcome: 'allowed', actor_role: 'coordinator' },
      { action: 'visit.list', outcome: 'allowed', actor_role: 'coordinator' },
      { action: 'visit.link.redeem', outcome: 'allowed', actor_role: 'patient' },
      { action: 'visit.end', outcome: 'allowed', actor_role: 'clinician' },
    ]);
  });

  it('lets only admins manage users, and answers 404 for another organisation’s user', async () => {
    const adminA = await createUser(stack.database.pool, orgA, 'admin');
    const adminB = await createUser(
      stack.database.pool,
      await createOrganization(stack.database.pool, 'Org C'),
      'admin',
    );
    const asAdminA = await anonymous().login(adminA.email, adminA.password);
    const asAdminB = await anonymous().login(adminB.email, adminB.password);
    const asClinicianA = await anonymous().login(clinicianA.email, clinicianA.password);
    const target = clinicianA.id;
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/api/users', { email: `x-${randomUUID()}@test.homeward.test`, name: 'X', role: 'admin' }],
      ['GET', `/api/users/${target}`, undefined],
      ['PATCH', `/api/users/${target}`, { role: 'admin' }],
      ['POST', `/api/users/${target}/invitation`, undefined],
      ['POST', `/api/users/${target}/disable`, undefined],
      ['POST', `/api/users/${target}/enable`, undefined],
    ];
    for (const [method, path, body] of writes) {
      expect([method, path, (await apiA.request(method, path, body)).status]).toEqual([method, path, 403]);
      expect([method, path, (await asClinicianA.request(method, path, body)).status]).toEqual([
        method,
        path,
        403,
      ]);
      expect([method, path, (await anonymous().request(method, path, body)).status]).toEqual([
        method,
        path,
        401,
      ]);
      if (path !== '/api/users')
        expect([method, path, (await asAdminB.request(method, path, body)).status]).toEqual([
          method,
          path,
          404,
        ]);
    }
    // Colleagues see names and roles only; admins see the account too.
    const listed = await apiA.request<{ items: Array<Record<string, unknown>> }>('GET', '/api/users');
    expect(listed.body.items.find((user) => user.id === clinicianA.id)).toEqual({
      id: clinicianA.id,
      displayName: 'Test clinician',
      role: 'clinician',
    });
    const asAdmin = await asAdminA.request<{ items: Array<Record<string, unknown>> }>('GET', '/api/users');
    expect(asAdmin.body.items.find((user) => user.id === clinicianA.id)).toMatchObject({
      email: clinicianA.email,
      status: 'active',
    });
    const fromB = await asAdminB.request<{ items: Array<{ id: string }> }>('GET', '/api/users');
    expect(fromB.body.items.map((user) => user.id)).not.toContain(clinicianA.id);
    expect((await asAdminA.request('GET', `/api/users/${target}`)).status).toBe(200);
  });

  it('shows clinicians, coordinators and admins who touched a patient, audits the look, and 404s other organisations', async () => {
    const adminA = await createUser(stack.database.pool, orgA, 'admin');
    const asAdminA = await anonymous().login(adminA.email, adminA.password);
    const asClinicianA = await anonymous().login(clinicianA.email, clinicianA.password);
    expect((await asClinicianA.request('GET', `/api/patients/${patientA}`)).status).toBe(200);
    const path = `/api/patients/${patientA}/access-log`;
    for (const api of [apiA, asClinicianA, asAdminA])
      expect((await api.request('GET', path)).status).toBe(200);
    const log = await asClinicianA.request<{
      items: Array<{
        occurredAt: string;
        actor: { userId: string | null; name: string | null; role: string };
        action: string;
        outcome: string;
      }>;
    }>('GET', `${path}?limit=3`);
    expect(log.body.items).toHaveLength(3);
    expect(log.body.items[0]).toMatchObject({
      action: 'patient.access_log.read',
      outcome: 'allowed',
      actor: { userId: clinicianA.id, name: 'Test clinician', role: 'clinician' },
    });
    expect(log.body.items.some((item) => item.action === 'patient.create')).toBe(false);
    const all = await asAdminA.request<{
      items: Array<{ action: string; actor: { userId: string | null } }>;
    }>('GET', `${path}?limit=500`);
    expect(all.body.items).toContainEqual(expect.objectContaining({ action: 'patient.create' }));
    expect(all.body.items).toContainEqual(
      expect.objectContaining({
        action: 'patient.read',
        actor: expect.objectContaining({ userId: clinicianA.id }),
      }),
    );
    // Nothing of another organisation's attempts, and their look is 404, audited as denied.
    expect(all.body.items.map((item) => item.actor.userId)).not.toContain(coordinatorB.id);
    expect((await apiB.request('GET', path)).status).toBe(404);
    expect((await anonymous().request('GET', path)).status).toBe(401);
    const { rows } = await stack.database.pool.query(
      `SELECT outcome FROM audit_events WHERE actor_user_id = $1 AND action = 'patient.access_log.read'`,
      [coordinatorB.id],
    );
    expect(rows).toEqual([{ outcome: 'denied' }]);
  });

  it('lets only admins verify the audit chain, and names a row edited behind the application’s back', async () => {
    const adminA = await createUser(stack.database.pool, orgA, 'admin');
    const asAdminA = await anonymous().login(adminA.email, adminA.password);
    const asClinicianA = await anonymous().login(clinicianA.email, clinicianA.password);
    expect((await apiA.request('GET', '/api/admin/audit/verify')).status).toBe(403);
    expect((await asClinicianA.request('GET', '/api/admin/audit/verify')).status).toBe(403);
    expect((await anonymous().request('GET', '/api/admin/audit/verify')).status).toBe(401);
    const clean = await asAdminA.request<{ ok: boolean; checked: number }>('GET', '/api/admin/audit/verify');
    expect(clean.status).toBe(200);
    expect(clean.body.ok).toBe(true);
    expect(clean.body.checked).toBeGreaterThan(1);
    expect(
      (
        await asAdminA.request(
          'GET',
          '/api/admin/audit/verify?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
        )
      ).status,
    ).toBe(400);
    // Nobody can change a row through the application's role...
    await expect(
      stack.database.pool.query(`UPDATE audit_events SET outcome = 'denied' WHERE organization_id = $1`, [
        orgA,
      ]),
    ).rejects.toThrow('insert-only');
    // ...but the owner can, with the triggers off: the chain names the row.
    const client = await stack.database.pool.connect();
    let edited: string;
    try {
      await client.query('SET session_replication_role = replica');
      const { rows } = await client.query<{ id: string }>(
        `UPDATE audit_events SET action = 'patient.list'
          WHERE id = (SELECT min(id) FROM audit_events WHERE organization_id = $1 AND action = 'patient.read')
          RETURNING id::text AS id`,
        [orgA],
      );
      edited = rows[0].id;
    } finally {
      await client.query('RESET session_replication_role');
      client.release();
    }
    const broken = await asAdminA.request<{ ok: boolean; firstBroken?: { id: string; reason: string } }>(
      'GET',
      '/api/admin/audit/verify',
    );
    expect(broken.body).toMatchObject({ ok: false, firstBroken: { id: edited, reason: 'content_changed' } });
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
  it('returns each vital with the value and unit the device sent beside the canonical ones', async () => {
    const deviceId = randomUUID();
    await stack.database.pool.query(
      `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                             source_value, source_unit, batch_id)
       VALUES ('2026-11-20T08:00:00Z', $1, $2, 'temp-1', 'body_temperature', '8310-5', 37, 'Cel',
               98.6, '[degF]', $3)`,
      [patientA, deviceId, randomUUID()],
    );
    const vitals = await apiA.request<{ items: Record<string, unknown>[] }>(
      'GET',
      `/api/patients/${patientA}/vitals?type=body_temperature`,
    );
    expect(vitals.status).toBe(200);
    expect(vitals.body.items).toEqual([
      {
        type: 'body_temperature',
        loinc: '8310-5',
        value: 37,
        unit: 'Cel',
        sourceValue: 98.6,
        sourceUnit: '[degF]',
        measuredAt: '2026-11-20T08:00:00.000Z',
        deviceId,
        messageId: 'temp-1',
        receivedAt: expect.any(String),
        flags: [],
      },
    ]);
  });

  it('lets Swagger UI load its assets over plain HTTP while the API keeps upgrade-insecure-requests', async () => {
    const csp = async (path: string) => {
      const response = await fetch(`${stack.apiUrl}${path}`);
      await response.arrayBuffer();
      return { status: response.status, csp: response.headers.get('content-security-policy') ?? '' };
    };
    for (const path of ['/api/docs', '/api/docs/swagger-ui-init.js', '/api/docs-json']) {
      const docs = await csp(path);
      expect({ path, status: docs.status }).toEqual({ path, status: 200 });
      expect(docs.csp).toMatch(/default-src 'self'/);
      expect(docs.csp).not.toMatch(/upgrade-insecure-requests/);
    }
    for (const path of ['/api/health/live', '/api/patients', '/api/docsx']) {
      expect({ path, csp: (await csp(path)).csp }).toEqual({
        path,
        csp: expect.stringContaining('upgrade-insecure-requests'),
      });
    }
  });

  interface Schema {
    type?: string;
    $ref?: string;
    /** A nullable object is documented as `allOf: [{ $ref }]` with `nullable: true`. */
    allOf?: Schema[];
    items?: Schema;
    properties?: Record<string, Schema>;
  }
  interface OpenApiDocument {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { name: string; in: string; schema?: Schema }[];
          responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
        }
      >
    >;
    components: { schemas: Record<string, Schema> };
  }
  const openApi = async () => {
    const document = (await anonymous().request<OpenApiDocument>('GET', '/api/docs-json')).body;
    const resolve = (schema: Schema | undefined): Schema | undefined =>
      schema?.allOf?.length === 1
        ? resolve(schema.allOf[0])
        : schema?.$ref
          ? document.components.schemas[schema.$ref.split('/').pop()!]
          : schema;
    return { document, resolve };
  };

  it('documents paging query parameters such as limit as integers', async () => {
    const { document } = await openApi();
    const queryType = (path: string, name: string) =>
      document.paths[path].get.parameters?.find((p) => p.in === 'query' && p.name === name)?.schema?.type;
    expect({
      alerts: queryType('/api/alerts', 'limit'),
      afterSequence: queryType('/api/alerts', 'afterSequence'),
      patients: queryType('/api/patients', 'limit'),
      offset: queryType('/api/patients', 'offset'),
      vitals: queryType('/api/patients/{patientId}/vitals', 'limit'),
    }).toEqual({
      alerts: 'integer',
      afterSequence: 'integer',
      patients: 'integer',
      offset: 'integer',
      vitals: 'integer',
    });
  });

  it('documents the alert response in the OpenAPI document exactly as the API serves it', async () => {
    const { document, resolve } = await openApi();
    const list = resolve(
      document.paths['/api/alerts'].get.responses['200'].content?.['application/json'].schema,
    );
    const alert = resolve(list?.properties?.items.items);
    expect(alert?.properties).toBeDefined();

    const patientId = (await apiA.createPatient('Alert', 'Shape')).id;
    await stack.database.pool.query(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       VALUES ($1, $2, 'spo2-low', 'threshold', 'SpO2 below 90 %', 'critical', 'oxygen_saturation', 87, '%',
               '2026-11-20T08:00:00Z', $3, 'spo2-1', $4, 'test', 'spo2.low', 87, '2026-11-20T08:00:00Z')`,
      [orgA, patientId, randomUUID(), randomUUID()],
    );
    const alerts = await apiA.request<{ items: Record<string, unknown>[] }>(
      'GET',
      `/api/alerts?patientId=${patientId}`,
    );
    expect(alerts.status).toBe(200);
    const [served] = alerts.body.items;
    const documented = (schema: Schema | undefined): unknown =>
      Object.fromEntries(
        Object.entries(resolve(schema)?.properties ?? {}).map(([name, property]) => [
          name,
          resolve(property)?.properties ? documented(property) : true,
        ]),
      );
    const shape = (value: Record<string, unknown>): unknown =>
      Object.fromEntries(
        Object.entries(value).map(([name, field]) => [
          name,
          field !== null && typeof field === 'object' ? shape(field as Record<string, unknown>) : true,
        ]),
      );
    expect(documented(alert)).toEqual(shape(served));
    expect(Object.keys(served).sort()).toEqual(
      [
        'assignedTo',
        'changeSequence',
        'createdAt',
        'id',
        'inRangeSince',
        'lastMeasuredAt',
        'late',
        'lastValue',
        'occurrences',
        'organizationId',
        'patientId',
        'rule',
        'sequence',
        'severity',
        'snoozedUntil',
        'status',
        'summary',
        'trigger',
        'updatedAt',
      ].sort(),
    );
  });
});
