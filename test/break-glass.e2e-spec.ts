import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, NotificationDto, ServerToClientEvents } from '@homeward/contracts';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createPatient,
  createUser,
  waitFor,
  type TestUser,
} from '@homeward/testing';

/**
 * Break-glass end to end (api and worker processes): a clinician's grant to a patient outside
 * their care teams, its audit row with the reason, the admins' list, and the socket notification
 * each member of the patient's care team gets. Whether the grant opens the record is the
 * care-team scope's (libs/access integration specs).
 */
describe('break-glass: access outside the care team, audited, listed and announced', () => {
  let stack: TestStack;
  let organizationId: string;
  let patientId: string;
  let otherOrganizationPatient: string;
  let clinicianUser: TestUser;
  let teamUser: TestUser;
  let clinician: ApiClient;
  let admin: ApiClient;
  let coordinator: ApiClient;
  let outsider: ApiClient;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

  const signIn = (user: TestUser) => new ApiClient(stack.apiUrl).login(user.email, user.password);

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api', 'worker'], env: { BREAK_GLASS_MINUTES: '30' } });
    const pool = stack.database.pool;
    organizationId = await createOrganization(pool, 'Break-glass Org');
    const otherOrganization = await createOrganization(pool, 'Elsewhere');
    // The clinician is in no team of the patient's; the coordinator is in the patient's only team.
    clinicianUser = await createUser(pool, organizationId, 'clinician', { careTeam: false });
    teamUser = await createUser(pool, organizationId, 'coordinator', { careTeam: false });
    const adminUser = await createUser(pool, organizationId, 'admin');
    const outsiderUser = await createUser(pool, otherOrganization, 'clinician');
    patientId = await createPatient(pool, organizationId, { careTeam: false });
    otherOrganizationPatient = await createPatient(pool, otherOrganization);
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO care_teams (organization_id, name) VALUES ($1, 'Heart failure') RETURNING id",
      [organizationId],
    );
    await pool.query(
      'INSERT INTO care_team_members (care_team_id, user_id, organization_id) VALUES ($1, $2, $3)',
      [rows[0].id, teamUser.id, organizationId],
    );
    await pool.query(
      'INSERT INTO care_team_patients (care_team_id, patient_id, organization_id) VALUES ($1, $2, $3)',
      [rows[0].id, patientId, organizationId],
    );
    [clinician, admin, coordinator, outsider] = await Promise.all(
      [clinicianUser, adminUser, teamUser, outsiderUser].map(signIn),
    );
  });

  afterAll(async () => {
    socket?.disconnect();
    await stack?.stop();
  });

  it("grants BREAK_GLASS_MINUTES, audits the reason, lists the grant for admins and tells the patient's care team", async () => {
    socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token: coordinator.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    const notifications: NotificationDto[] = [];
    socket.on('notification', (notification) => notifications.push(notification));
    await new Promise<void>((resolve, reject) => {
      socket!.once('connect', () => resolve());
      socket!.once('connect_error', reject);
    });

    // Outside the patient's teams, the record is as absent as a missing one; the grant opens it.
    expect((await clinician.request('GET', `/api/patients/${patientId}`)).status).toBe(404);
    const before = Date.now();
    const response = await clinician.request<{ id: string; patientId: string; expiresAt: string }>(
      'POST',
      `/api/patients/${patientId}/break-glass`,
      { reason: '  Covering the night shift: the patient phoned with chest pain  ' },
    );
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(['expiresAt', 'id', 'patientId']);
    expect(response.body.patientId).toBe(patientId);
    const opened = await clinician.request<{ id: string }>('GET', `/api/patients/${patientId}`);
    expect(opened.status).toBe(200);
    expect(opened.body.id).toBe(patientId);
    const minutes = (Date.parse(response.body.expiresAt) - before) / 60_000;
    expect(minutes).toBeGreaterThan(29.5);
    expect(minutes).toBeLessThan(30.5);

    const audit = await stack.database.pool.query<{
      resource_id: string;
      patient_id: string;
      outcome: string;
    }>(
      "SELECT resource_id, patient_id, outcome FROM audit_events WHERE action = 'patient.break_glass' AND actor_user_id = $1",
      [clinicianUser.id],
    );
    expect(audit.rows).toEqual([
      { resource_id: response.body.id, patient_id: patientId, outcome: 'allowed' },
    ]);
    const stored = await stack.database.pool.query<{ reason: string }>(
      'SELECT reason FROM break_glass_grants WHERE id = $1',
      [response.body.id],
    );
    expect(stored.rows[0].reason).toBe('Covering the night shift: the patient phoned with chest pain');

    const listed = await admin.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      '/api/admin/break-glass',
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toEqual({
      id: response.body.id,
      user: { id: clinicianUser.id, name: 'Test clinician' },
      patient: { id: patientId, name: expect.stringMatching(/^Test /) as unknown },
      reason: 'Covering the night shift: the patient phoned with chest pain',
      grantedAt: expect.any(String) as unknown,
      expiresAt: response.body.expiresAt,
      active: true,
    });

    const notification = await waitFor(() => notifications.find((n) => n.kind === 'patient.break_glass'), {
      what: "the care team's break-glass notification",
      timeoutMs: 20_000,
    });
    expect(notification.payload).toEqual({
      patientId,
      breakGlass: {
        grantId: response.body.id,
        userId: clinicianUser.id,
        userName: 'Test clinician',
        reason: 'Covering the night shift: the patient phoned with chest pain',
        expiresAt: response.body.expiresAt,
      },
    });
    // The one who broke the glass is not told about it.
    const own = await stack.database.pool.query(
      "SELECT 1 FROM notification_outbox WHERE kind = 'patient.break_glass' AND recipient_user_id = $1",
      [clinicianUser.id],
    );
    expect(own.rowCount).toBe(0);
  });

  it("answers 404 for another organisation's patient, 403 to coordinators and admins, 400 without a reason", async () => {
    const grant = (client: ApiClient, id: string, body: unknown = { reason: 'Needed' }) =>
      client.request('POST', `/api/patients/${id}/break-glass`, body);
    expect((await grant(clinician, otherOrganizationPatient)).status).toBe(404);
    expect((await grant(outsider, patientId)).status).toBe(404);
    expect((await grant(coordinator, patientId)).status).toBe(403);
    expect((await grant(admin, patientId)).status).toBe(403);
    expect((await grant(clinician, patientId, { reason: '   ' })).status).toBe(400);
    expect((await grant(clinician, patientId, {})).status).toBe(400);
    expect((await grant(clinician, patientId, { reason: 'x'.repeat(2001) })).status).toBe(400);
    expect((await clinician.request('GET', '/api/admin/break-glass')).status).toBe(403);
    const outsiders = await new ApiClient(stack.apiUrl).request('GET', '/api/admin/break-glass');
    expect(outsiders.status).toBe(401);
  });

  it('pages the list newest first', async () => {
    await clinician.request('POST', `/api/patients/${patientId}/break-glass`, { reason: 'Second look' });
    const first = await admin.request<{ items: Array<{ reason: string }> }>(
      'GET',
      '/api/admin/break-glass?limit=1',
    );
    expect(first.body.items.map((item) => item.reason)).toEqual(['Second look']);
    const second = await admin.request<{ items: Array<{ reason: string }> }>(
      'GET',
      '/api/admin/break-glass?limit=1&offset=1',
    );
    expect(second.body.items.map((item) => item.reason)).toEqual([
      'Covering the night shift: the patient phoned with chest pain',
    ]);
  });
});
