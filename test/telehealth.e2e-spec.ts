import { TokenVerifier } from 'livekit-server-sdk';
import { io } from 'socket.io-client';
import type { VisitSummary } from '@homeward/contracts';
import {
  ApiClient,
  LiveKitDouble,
  TestStack,
  createOrganization,
  createUser,
  waitFor,
} from '@homeward/testing';

// No LiveKit server can be installed on these machines (it is in neither package registry), so
// the API runs against a loopback RoomService double that verifies tokens as LiveKit does, tokens
// are read back with the SDK's TokenVerifier and webhooks are signed as its WebhookReceiver expects.
describe('video visits over HTTP: the contract and attacks on it', () => {
  let stack: TestStack;
  let livekit: LiveKitDouble;
  let coordinatorA: ApiClient;
  let clinicianA: ApiClient;
  let adminA: ApiClient;
  let coordinatorB: ApiClient;
  let patientA: string;
  let patientB: string;
  const anonymous = () => new ApiClient(stack.apiUrl);
  const codeOf = (url: string) => new URL(url).searchParams.get('code') ?? '';

  interface Created {
    id: string;
    status: string;
    roomName: string;
    patientLink: { url: string; expiresAt: string };
  }
  const createVisit = async (
    api: ApiClient = clinicianA,
    body: Record<string, unknown> = { patientId: patientA },
  ) => api.request<Created>('POST', '/api/visits', body);

  /** A webhook posted as LiveKit posts it: the raw JSON with its signed Authorization header. */
  const webhook = async (event: Record<string, unknown>, secret?: string) => {
    const signed = await livekit.signWebhook(event, secret);
    return webhookRaw(signed.body, signed.authorization);
  };
  const webhookRaw = async (body: string, authorization?: string) => {
    const response = await fetch(`${stack.apiUrl}/api/livekit/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/webhook+json',
        ...(authorization ? { authorization } : {}),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    livekit = await LiveKitDouble.start();
    stack = await TestStack.start({
      apps: ['api'],
      env: { LOGIN_RATE_LIMIT: '40', PUBLIC_URL: 'https://homeward.example.org', ...livekit.env() },
    });
    const pool = stack.database.pool;
    const orgA = await createOrganization(pool, 'Visits A');
    const orgB = await createOrganization(pool, 'Visits B');
    const login = async (user: { email: string; password: string }) =>
      anonymous().login(user.email, user.password);
    coordinatorA = await login(await createUser(pool, orgA, 'coordinator'));
    clinicianA = await login(await createUser(pool, orgA, 'clinician'));
    adminA = await login(await createUser(pool, orgA, 'admin'));
    coordinatorB = await login(await createUser(pool, orgB, 'coordinator'));
    patientA = (await coordinatorA.createPatient()).id;
    patientB = (await coordinatorB.createPatient()).id;
  });

  afterAll(async () => {
    await stack?.stop();
    await livekit?.stop();
  });

  it('creates a visit (201) with its opaque room and the patient link, and says video is configured', async () => {
    expect((await clinicianA.request('GET', '/api/visits/config')).body).toEqual({ configured: true });
    const created = await createVisit();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'scheduled',
      patientId: patientA,
      alertId: null,
      scheduledFor: null,
    });
    expect(created.body.roomName).toMatch(/^v_[0-9a-f]{32}$/);
    expect(created.body.patientLink.url).toMatch(/^https:\/\/homeward\.example\.org\/visit\/join\?code=/);
    const detail = await coordinatorA.request<Record<string, unknown>>(
      'GET',
      `/api/visits/${created.body.id}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: created.body.id,
      startedAt: null,
      endedAt: null,
      durationSeconds: null,
      participants: [],
      notes: null,
    });
    const list = await coordinatorA.request<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/visits?patientId=${patientA}&status=scheduled`,
    );
    expect(list.body.items.map((item) => item.id)).toContain(created.body.id);
  });

  it('refuses admins (403), and answers 404 for another organisation’s patient or visit', async () => {
    expect((await createVisit(adminA)).status).toBe(403);
    expect((await createVisit(clinicianA, { patientId: patientB })).status).toBe(404);
    const { body } = await createVisit();
    for (const [method, path, payload] of [
      ['GET', `/api/visits/${body.id}`, undefined],
      ['POST', `/api/visits/${body.id}/join`, undefined],
      ['POST', `/api/visits/${body.id}/end`, undefined],
      ['POST', `/api/visits/${body.id}/cancel`, undefined],
      ['POST', `/api/visits/${body.id}/notes`, { text: 'x' }],
      ['POST', `/api/visits/${body.id}/patient-link`, undefined],
      ['POST', `/api/visits/${body.id}/guest-links`, { label: 'Interpreter' }],
    ] as const)
      expect((await coordinatorB.request(method, path, payload)).status).toBe(404);
    const listB = await coordinatorB.request<{ items: Array<{ id: string }> }>('GET', '/api/visits');
    expect(listB.body.items.map((item) => item.id)).not.toContain(body.id);
    expect((await coordinatorA.request('GET', `/api/visits/${body.id}`)).status).toBe(200);
  });

  it('joins staff with a token for the room only, and never without signing in', async () => {
    const { body } = await createVisit();
    expect((await anonymous().request('POST', `/api/visits/${body.id}/join`)).status).toBe(401);
    const joined = await coordinatorA.request<{ url: string; token: string; expiresAt: string }>(
      'POST',
      `/api/visits/${body.id}/join`,
    );
    expect(joined.status).toBe(200);
    expect(joined.body.url).toBe(livekit.url);
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(joined.body.token);
    expect(claims.video).toMatchObject({
      room: body.roomName,
      roomJoin: true,
      roomAdmin: false,
      roomList: false,
    });
    // A staff member's access or LiveKit token is not a patient's code.
    const asCode = await new ApiClient(stack.apiUrl, coordinatorA.accessToken).request<{ code: string }>(
      'POST',
      '/api/visits/join',
      { code: joined.body.token },
    );
    expect(asCode.status).toBe(404);
    expect(asCode.body.code).toBe('link_not_found');
    expect((await coordinatorA.request('POST', '/api/visits/join', {})).status).toBe(400);
  });

  it('lets the patient in once with the link: 200, then 410 link_used; an unknown code 404', async () => {
    const { body } = await createVisit();
    const code = codeOf(body.patientLink.url);
    const first = await anonymous().request<{
      visitId: string;
      roomName: string;
      token: string;
      url: string;
    }>('POST', '/api/visits/join', { code });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ visitId: body.id, roomName: body.roomName, url: livekit.url });
    const reused = await anonymous().request<{ code: string; message: string }>('POST', '/api/visits/join', {
      code,
    });
    expect(reused.status).toBe(410);
    expect(reused.body).toMatchObject({
      code: 'link_used',
      message: expect.stringMatching(/already been used/),
    });
    const guessed = await anonymous().request<{ code: string }>('POST', '/api/visits/join', {
      code: `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`,
    });
    expect(guessed.status).toBe(404);
    expect(guessed.body.code).toBe('link_not_found');
    // A new link voids the old, unused one.
    const second = await clinicianA.request<{ url: string }>('POST', `/api/visits/${body.id}/patient-link`);
    expect(second.status).toBe(201);
    const third = await clinicianA.request<{ url: string }>('POST', `/api/visits/${body.id}/patient-link`);
    const voided = await anonymous().request<{ code: string }>('POST', '/api/visits/join', {
      code: codeOf(second.body.url),
    });
    expect(voided).toMatchObject({ status: 410, body: { code: 'link_expired' } });
    expect(
      (await anonymous().request('POST', '/api/visits/join', { code: codeOf(third.body.url) })).status,
    ).toBe(200);
  });

  it('refuses NUL and oversized notes clearly, and keeps what fits', async () => {
    const { body } = await createVisit();
    const nul = await clinicianA.request<{ code: string }>('POST', `/api/visits/${body.id}/notes`, {
      text: 'a\u0000b',
    });
    expect(nul.status).toBe(400);
    expect(nul.body.code).toBe('unstorable_text');
    const long = await clinicianA.request('POST', `/api/visits/${body.id}/notes`, {
      text: 'x'.repeat(20_001),
    });
    expect(long.status).toBe(400);
    const huge = await clinicianA.request<{ code: string; statusCode: number }>(
      'POST',
      `/api/visits/${body.id}/notes`,
      {
        text: 'x'.repeat(200_000),
      },
    );
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('entity_too_large');
    const saved = await clinicianA.request<{ hasNotes: boolean }>('POST', `/api/visits/${body.id}/notes`, {
      text: 'Discussed BP log; titrate amlodipine.',
    });
    expect(saved).toMatchObject({ status: 200, body: { hasNotes: true } });
    const detail = await clinicianA.request<{ notes: string }>('GET', `/api/visits/${body.id}`);
    expect(detail.body.notes).toBe('Discussed BP log; titrate amlodipine.');
  });

  it('takes LiveKit webhooks on the raw body: applied once, forged or altered ones 401, other rooms ignored', async () => {
    const { body } = await createVisit();
    const joined = await anonymous().request<{ token: string }>('POST', '/api/visits/join', {
      code: codeOf(body.patientLink.url),
    });
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(joined.body.token);
    const identity = (claims as { sub?: string }).sub;
    const event = {
      id: `EV_${body.id}`,
      event: 'participant_joined',
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: body.roomName },
      participant: { identity, sid: 'PA_e2e', joinedAtMs: String(Date.now()) },
    };
    const signed = await livekit.signWebhook(event);
    expect(await webhookRaw(signed.body, signed.authorization)).toMatchObject({
      status: 200,
      body: { outcome: 'applied' },
    });
    expect(await webhookRaw(signed.body, signed.authorization)).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate' },
    });
    expect((await clinicianA.request<{ status: string }>('GET', `/api/visits/${body.id}`)).body.status).toBe(
      'waiting',
    );
    // The same signed event replayed for another room: the body no longer matches its signature.
    const other = await createVisit();
    const moved = signed.body.replace(body.roomName, other.body.roomName);
    expect((await webhookRaw(moved, signed.authorization)).status).toBe(401);
    expect((await webhook({ ...event, id: 'EV_forged' }, 'f'.repeat(48))).status).toBe(401);
    expect((await webhookRaw(signed.body)).status).toBe(401);
    // Correctly signed, but the identity is not a participant of that room's visit.
    expect(
      await webhook({ ...event, id: 'EV_other_room', room: { name: other.body.roomName } }),
    ).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
    expect(
      (await clinicianA.request<{ status: string }>('GET', `/api/visits/${other.body.id}`)).body.status,
    ).toBe('scheduled');
  });

  it('ends a visit: everyone removed, the room deleted, completed; a second end is a conflict', async () => {
    const { body } = await createVisit();
    livekit.connect(body.roomName, 'p_in_the_room');
    const ended = await clinicianA.request<{ status: string; endedAt: string }>(
      'POST',
      `/api/visits/${body.id}/end`,
    );
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('completed');
    expect(livekit.callsTo('RemoveParticipant').map((call) => call.body.identity)).toContain('p_in_the_room');
    expect(livekit.rooms.has(body.roomName)).toBe(false);
    expect((await clinicianA.request<{ code: string }>('POST', `/api/visits/${body.id}/end`)).body.code).toBe(
      'visit_closed',
    );
  });

  it("pushes visit.updated to the organisation's consoles, not another's, as the patient arrives", async () => {
    const connect = (api: ApiClient) =>
      io(`${stack.apiUrl}/alerts`, {
        auth: { token: api.accessToken },
        transports: ['websocket'],
        reconnection: false,
      });
    const mine = connect(coordinatorA);
    const theirs = connect(coordinatorB);
    const seenA: VisitSummary[] = [];
    const seenB: VisitSummary[] = [];
    mine.on('visit.updated', (visit: VisitSummary) => seenA.push(visit));
    theirs.on('visit.updated', (visit: VisitSummary) => seenB.push(visit));
    try {
      await Promise.all(
        [mine, theirs].map((socket) => new Promise<void>((resolve) => socket.on('connect', () => resolve()))),
      );
      const { body } = await createVisit();
      const joined = await anonymous().request<{ token: string }>('POST', '/api/visits/join', {
        code: codeOf(body.patientLink.url),
      });
      const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(joined.body.token);
      await webhook({
        id: `EV_socket_${body.id}`,
        event: 'participant_joined',
        createdAt: String(Math.floor(Date.now() / 1000)),
        room: { name: body.roomName },
        participant: {
          identity: (claims as { sub?: string }).sub,
          sid: 'PA_socket',
          joinedAtMs: String(Date.now()),
        },
      });
      const waiting = await waitFor(() =>
        seenA.find((visit) => visit.id === body.id && visit.status === 'waiting'),
      );
      expect(waiting).toMatchObject({ patientId: patientA, roomName: body.roomName, hasNotes: false });
      expect(seenA.find((visit) => visit.id === body.id && visit.status === 'scheduled')).toBeDefined();
      expect(seenB).toEqual([]);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('throttles code guessing per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i += 1)
      statuses.push((await anonymous().request('POST', '/api/visits/join', { code: 'x'.repeat(43) })).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status !== 404 && status !== 429)).toEqual([]);
  });
});

describe('video visits without LiveKit configured', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 503 video_not_configured on every visit route, saying how to configure it', async () => {
    const pool = stack.database.pool;
    const org = await createOrganization(pool, 'No video');
    const user = await createUser(pool, org, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const patientId = (await api.createPatient()).id;
    expect((await api.request('GET', '/api/visits/config')).body).toEqual({ configured: false });
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, body] of [
      ['POST', '/api/visits', { patientId }],
      ['GET', '/api/visits', undefined],
      ['GET', `/api/visits/${id}`, undefined],
      ['POST', `/api/visits/${id}/join`, undefined],
      ['POST', `/api/visits/${id}/end`, undefined],
      ['POST', '/api/visits/join', { code: 'x'.repeat(43) }],
    ] as const) {
      const response = await api.request<{ code: string; message: string }>(method, path, body);
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('video_not_configured');
      expect(response.body.message).toMatch(/LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET/);
    }
    // Everything else works.
    expect((await api.request('GET', `/api/patients/${patientId}`)).status).toBe(200);
  });
});

describe('missed video visits through the worker', () => {
  let stack: TestStack;
  let livekit: LiveKitDouble;

  beforeAll(async () => {
    livekit = await LiveKitDouble.start();
    stack = await TestStack.start({
      apps: ['api', 'worker'],
      env: { LOGIN_RATE_LIMIT: '1000', ...livekit.env() },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await livekit?.stop();
  });

  it('marks a visit missed by its visits.no-show job, adds the alert history and notifies its clinician', async () => {
    const pool = stack.database.pool;
    const org = await createOrganization(pool, 'Missed visits');
    const user = await createUser(pool, org, 'clinician');
    const coordinator = await createUser(pool, org, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const coordinatorApi = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const patientId = (await coordinatorApi.createPatient()).id;
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                           correlation_id, episode_key)
       VALUES ($1, $2, 'rule.missed-visit', 'threshold', 'test', 'critical', 'open', 'test', 'rule.missed-visit')
       RETURNING id`,
      [org, patientId],
    );
    const alertId = rows[0].id;
    // Its time was 20 minutes ago and nobody came: the job's deadline has passed when it is armed.
    const scheduledFor = new Date(Date.now() - 20 * 60_000).toISOString();
    const created = await api.request<{ id: string }>('POST', '/api/visits', {
      patientId,
      alertId,
      scheduledFor,
    });
    expect(created.status).toBe(201);
    const missed = await waitFor(
      async () => {
        const visit = await api.request<{ status: string }>('GET', `/api/visits/${created.body.id}`);
        return visit.body.status === 'missed' ? visit.body : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(missed.status).toBe('missed');
    const history = await pool.query(`SELECT action FROM alert_events WHERE alert_id = $1 ORDER BY id`, [
      alertId,
    ]);
    expect(history.rows).toEqual([{ action: 'video_visit' }, { action: 'video_visit_missed' }]);
    const notified = await pool.query(
      `SELECT recipient_user_id, kind FROM notification_outbox WHERE alert_id = $1 AND kind = 'visit.missed'`,
      [alertId],
    );
    expect(notified.rows).toEqual([{ recipient_user_id: user.id, kind: 'visit.missed' }]);
  });
});
