import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  ApiClient,
  LiveKitDouble,
  TestStack,
  bloodPressure,
  careTeamId,
  createOrganization,
  createUser,
  storeReadingBatch,
  type TestUser,
} from '@homeward/testing';
import type { UserRole } from '@homeward/contracts';

/*
 * Every route of the OpenAPI document, read from the running API so a new route is covered the
 * day it lands, is called against real records of organisation A by callers who must get nothing:
 * no or a bad token (401), someone outside A (404, exactly as for a missing record) and a role
 * without the right (403). OWASP API Security Top 10 (2023): API1 broken object level
 * authorisation, API2 broken authentication, API5 broken function level authorisation.
 */

interface OpenApiSchema {
  $ref?: string;
  required?: string[];
  properties?: Record<string, { example?: unknown; enum?: unknown[] }>;
}
interface OpenApiOperation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

interface Route {
  key: string;
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  isPublic: boolean;
  /** The body's documented examples, the fallback when VALID_BODIES has none for the route. */
  exampleBody?: Record<string, unknown>;
}

function routesOf(document: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      let schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema?.$ref) schema = document.components?.schemas?.[schema.$ref.split('/').pop()!];
      const examples = Object.entries(schema?.properties ?? {})
        .map(([name, property]) => [name, property.example ?? property.enum?.[0]] as const)
        .filter(([, value]) => value !== undefined);
      routes.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        // A route the document lists with no security requirement needs no token.
        isPublic: (operation.security ?? []).length === 0,
        exampleBody: schema ? Object.fromEntries(examples) : undefined,
      });
    }
  }
  return routes;
}

/** The routes anyone may call. A route that turns public by mistake fails the test below. */
const PUBLIC_ROUTES = [
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/health/ready',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/invitations/accept',
  'POST /api/visits/join',
  'GET /api/auth/oidc/start',
  'GET /api/auth/oidc/callback',
  'POST /api/auth/oidc/exchange',
];

const ANY: readonly UserRole[] = ['admin', 'coordinator', 'clinician'];
const STAFF: readonly UserRole[] = ['admin', 'coordinator'];
const CARE: readonly UserRole[] = ['clinician', 'coordinator'];
/** The roles whose scope is their care teams. */
const ELSEWHERE_ROLES = ['coordinator', 'clinician'] as const;

/**
 * Who may call each authenticated route, as docs/api.md states it. `@Roles` is not reflected in
 * the OpenAPI document, so the table is kept here, and a documented route missing from it fails
 * the test: a new route forces a decision.
 */
const WHO_MAY: Record<string, readonly UserRole[]> = {
  'POST /api/auth/logout': ANY,
  'POST /api/auth/logout-all': ANY,
  'GET /api/auth/me': ANY,
  'POST /api/auth/password': ANY,
  'GET /api/auth/mfa': ANY,
  'POST /api/auth/mfa/enroll': ANY,
  'POST /api/auth/mfa/confirm': ANY,
  'GET /api/users': ANY,
  'POST /api/users': ['admin'],
  'GET /api/users/{id}': ['admin'],
  'PATCH /api/users/{id}': ['admin'],
  'POST /api/users/{id}/invitation': ['admin'],
  'POST /api/users/{id}/disable': ['admin'],
  'POST /api/users/{id}/enable': ['admin'],
  'POST /api/users/{id}/mfa/reset': ['admin'],
  'GET /api/admin/organization': ['admin'],
  'PATCH /api/admin/organization': ['admin'],
  'GET /api/users/me/notification-preferences': ANY,
  'PUT /api/users/me/notification-preferences': ANY,
  'GET /api/users/{userId}/notification-preferences': ['admin'],
  'PUT /api/users/{userId}/notification-preferences': ['admin'],
  'POST /api/patients': STAFF,
  'GET /api/patients': ANY,
  'GET /api/patients/{patientId}': ANY,
  'PATCH /api/patients/{patientId}': ANY,
  'POST /api/patients/{patientId}/devices': STAFF,
  'GET /api/patients/{patientId}/devices': ANY,
  'GET /api/patients/{patientId}/devices/contact': ANY,
  'GET /api/devices': ANY,
  'GET /api/devices/{deviceId}': ANY,
  'POST /api/devices/{deviceId}/deactivate': STAFF,
  'POST /api/devices/{deviceId}/reactivate': STAFF,
  'POST /api/devices/{deviceId}/rotate-secret': STAFF,
  'POST /api/devices/{deviceId}/reassign': STAFF,
  'GET /api/patients/{patientId}/vitals': ANY,
  'GET /api/patients/{patientId}/alert-readings': ANY,
  'GET /api/ingest/rejections': ['admin'],
  'GET /api/alerts': ANY,
  'GET /api/alerts/{alertId}': ANY,
  'POST /api/alerts/{alertId}/acknowledge': ANY,
  'POST /api/alerts/{alertId}/assign': ANY,
  'POST /api/alerts/{alertId}/notes': ANY,
  'POST /api/alerts/{alertId}/snooze': ANY,
  'POST /api/alerts/{alertId}/escalate': ANY,
  'POST /api/alerts/{alertId}/resolve': ANY,
  'POST /api/alerts/{alertId}/dismiss': ANY,
  'GET /api/metrics/alerts': ANY,
  'POST /api/rules/preview': ANY,
  'GET /api/protocols': ANY,
  'PUT /api/patients/{patientId}/protocols': ANY,
  'GET /api/patients/{patientId}/rules': ANY,
  'PUT /api/patients/{patientId}/rules/{ruleId}/override': ['admin', 'clinician'],
  'DELETE /api/patients/{patientId}/rules/{ruleId}/override': ['admin', 'clinician'],
  'GET /api/patients/{patientId}/rules/{ruleId}/versions': ANY,
  'GET /api/patients/{patientId}/baselines': ANY,
  'PUT /api/patients/{patientId}/baselines': ['clinician'],
  'GET /api/escalation-policy': ANY,
  'PUT /api/escalation-policy': ['admin'],
  'GET /api/on-call': ANY,
  'PUT /api/on-call': ['admin'],
  'GET /api/worklist': ANY,
  'GET /api/visits/config': ANY,
  'POST /api/visits': CARE,
  'GET /api/visits': ANY,
  'GET /api/visits/{visitId}': ANY,
  'POST /api/visits/{visitId}/join': CARE,
  'POST /api/visits/{visitId}/end': CARE,
  'POST /api/visits/{visitId}/cancel': CARE,
  'POST /api/visits/{visitId}/notes': CARE,
  'POST /api/visits/{visitId}/patient-link': CARE,
  'POST /api/visits/{visitId}/guest-links': CARE,
  'GET /api/patients/{patientId}/access-log': ANY,
  'GET /api/patients/{patientId}/consents': ANY,
  'POST /api/patients/{patientId}/consents': CARE,
  'POST /api/patients/{patientId}/consents/{consentId}/revoke': CARE,
  'GET /api/admin/audit/verify': ['admin'],
  'POST /api/patients/{patientId}/break-glass': ['clinician'],
  'GET /api/admin/break-glass': ['admin'],
  'GET /api/admin/oidc': ['admin'],
  'PUT /api/admin/oidc': ['admin'],
  'DELETE /api/admin/oidc': ['admin'],
  'GET /api/patients/{patientId}/care-time': ANY,
  'POST /api/patients/{patientId}/care-time': CARE,
  'POST /api/patients/{patientId}/care-time/{entryId}/void': CARE,
  'POST /api/care-teams': ['admin'],
  'GET /api/care-teams': ANY,
  'PATCH /api/care-teams/{careTeamId}': ['admin'],
  'DELETE /api/care-teams/{careTeamId}': ['admin'],
  'PUT /api/care-teams/{careTeamId}/members/{userId}': ['admin'],
  'DELETE /api/care-teams/{careTeamId}/members/{userId}': ['admin'],
  'PUT /api/patients/{patientId}/care-teams': STAFF,
};

/** Organisation A's records the requests point at. */
interface Records {
  patientId: string;
  deviceId: string;
  alertId: string;
  visitId: string;
  userId: string;
  entryId: string;
  consentId: string;
  ruleId: string;
  careTeamId: string;
}

/**
 * Which record a path or query parameter names. `{id}` is read with the segment before it
 * (`users/{id}`), since several resources use that name.
 */
const RECORD_OF: Record<string, keyof Records> = {
  patientId: 'patientId',
  deviceId: 'deviceId',
  alertId: 'alertId',
  visitId: 'visitId',
  userId: 'userId',
  entryId: 'entryId',
  consentId: 'consentId',
  ruleId: 'ruleId',
  careTeamId: 'careTeamId',
  'users/{id}': 'userId',
};

const entriesOf = (records: Records) => Object.entries(records) as Array<[keyof Records, string]>;

function recordOf(route: Route, name: string): keyof Records {
  const before = route.path.split(`/{${name}}`)[0].split('/').pop();
  const record = RECORD_OF[name === 'id' ? `${before}/{id}` : name];
  if (!record)
    throw new Error(
      `${route.key}: no record of organisation A for path parameter {${name}}; map it in RECORD_OF ` +
        'in test/api-authorization.e2e-spec.ts (and create the record in beforeAll)',
    );
  return record;
}

/** Bodies that pass validation, so that a refusal comes from the access check, not the DTO. */
function validBodies(a: Records): Record<string, unknown> {
  const now = Date.now();
  return {
    'POST /api/users': {
      email: `x-${randomUUID()}@test.homeward.test`,
      name: 'Someone New',
      role: 'clinician',
      careTeamIds: [a.careTeamId],
    },
    'POST /api/care-teams': { name: `Team ${randomUUID()}` },
    'PATCH /api/care-teams/{careTeamId}': { name: `Team ${randomUUID()}` },
    'PUT /api/patients/{patientId}/care-teams': { careTeamIds: [a.careTeamId] },
    'PATCH /api/users/{id}': { name: 'Renamed' },
    'PATCH /api/patients/{patientId}': { phone: '+447700900123' },
    'POST /api/patients': { givenName: 'Bea', familyName: 'Outsider', birthDate: '1960-01-01' },
    'POST /api/patients/{patientId}/devices': { kind: 'scale' },
    'POST /api/devices/{deviceId}/deactivate': { reason: 'Lost' },
    'POST /api/devices/{deviceId}/reassign': { patientId: a.patientId },
    'POST /api/alerts/{alertId}/assign': { userId: a.userId },
    'POST /api/alerts/{alertId}/notes': { text: 'Called the patient' },
    'POST /api/alerts/{alertId}/snooze': { until: new Date(now + 3_600_000).toISOString() },
    'POST /api/alerts/{alertId}/resolve': { reason: 'Seen' },
    'POST /api/alerts/{alertId}/dismiss': { reason: 'Artefact' },
    'POST /api/rules/preview': {
      rule: {
        kind: 'threshold',
        type: 'blood_pressure_systolic',
        operator: '>=',
        value: 160,
        severity: 'warning',
      },
      patientIds: [a.patientId],
      days: 1,
    },
    'PUT /api/patients/{patientId}/protocols': { keys: ['heart_failure'] },
    'PUT /api/patients/{patientId}/rules/{ruleId}/override': {
      definition: {
        kind: 'threshold',
        type: 'blood_pressure_systolic',
        operator: '>=',
        value: 170,
        severity: 'warning',
      },
      reason: 'Agreed with cardiology',
    },
    'DELETE /api/patients/{patientId}/rules/{ruleId}/override': { reason: 'No longer needed' },
    'PUT /api/patients/{patientId}/baselines': { dryWeightKg: 80 },
    'PUT /api/escalation-policy': { firstAfterSeconds: 600, thenAfterSeconds: 900 },
    'PUT /api/admin/oidc': {
      issuer: 'https://idp.example.org',
      clientId: 'homeward',
      clientSecret: randomBytes(12).toString('hex'),
    },
    'PUT /api/on-call': {
      shifts: [
        {
          userId: a.userId,
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
        },
      ],
    },
    'POST /api/visits': { patientId: a.patientId },
    'POST /api/visits/{visitId}/notes': { text: 'Seen on video' },
    'POST /api/visits/{visitId}/guest-links': { label: 'Interpreter' },
    'POST /api/patients/{patientId}/care-time': {
      kind: 'call',
      seconds: 60,
      interactive: true,
      performedAt: new Date(now - 60_000).toISOString(),
    },
    'POST /api/patients/{patientId}/care-time/{entryId}/void': { reason: 'Logged twice' },
    'POST /api/patients/{patientId}/consents': { scope: 'data_sharing_research', method: 'written' },
    'POST /api/patients/{patientId}/consents/{consentId}/revoke': { reason: 'Withdrawn by phone' },
    // Requiring MFA would sign the other organisation's users out of the later tests.
    'PATCH /api/admin/organization': { mfaRequired: false },
    'POST /api/patients/{patientId}/break-glass': { reason: 'Covering the on-call shift' },
    'PUT /api/users/me/notification-preferences': {},
    'PUT /api/users/{userId}/notification-preferences': {},
    'POST /api/auth/password': {
      currentPassword: 'not-the-password',
      newPassword: randomBytes(12).toString('hex'),
    },
  };
}

/** Routes that end the caller's session: called last, each with a session of its own. */
const endsSession = (route: Route) => route.path.startsWith('/api/auth/logout');

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function signed(claims: Record<string, unknown>, secret: string): string {
  const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

/** Runs `work` over `items` a few at a time: the machine is shared. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>, size = 8): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

describe('API authorisation: every documented route refuses callers without the right, and shows them nothing', () => {
  let stack: TestStack;
  let livekit: LiveKitDouble;
  let routes: Route[];
  let a: Records;
  /** Organisation B's own records, for writes whose body names A's. */
  let b: Records;
  /** Strings of organisation A's records that no refusal may contain. */
  let secrets: string[];
  const usersA = {} as Record<UserRole, TestUser>;
  const usersB = {} as Record<UserRole, TestUser>;
  const clientsA = {} as Record<UserRole, ApiClient>;
  const clientsB = {} as Record<UserRole, ApiClient>;
  /** A's coordinator and clinician in another care team than the patient's. */
  const elsewhereA = {} as Record<'coordinator' | 'clinician', TestUser>;
  const elsewhereClientsA = {} as Record<'coordinator' | 'clinician', ApiClient>;
  const signIn = (user: TestUser) => new ApiClient(stack.apiUrl).login(user.email, user.password);

  /** The request for `route` with its path and query parameters naming `records`. */
  function requestFor(route: Route, records: Records, bodies: Record<string, unknown>) {
    let path = route.path;
    for (const name of route.pathParams)
      path = path.replace(`{${name}}`, encodeURIComponent(records[recordOf(route, name)]));
    const query = route.queryParams
      .filter((name) => RECORD_OF[name])
      .map((name) => `${name}=${encodeURIComponent(records[RECORD_OF[name]])}`)
      .join('&');
    const body = route.key in bodies ? bodies[route.key] : route.exampleBody;
    return { path: query ? `${path}?${query}` : path, body };
  }

  const leaked = (body: unknown, except: readonly string[] = []) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
    return secrets.filter((secret) => !except.includes(secret) && text.includes(secret));
  };

  /** A patient with a device, readings, an alert, a visit and a care-time entry, made as its people would. */
  async function createRecords(
    organizationId: string,
    clients: Record<UserRole, ApiClient>,
    users: Record<UserRole, TestUser>,
    familyName: string,
  ): Promise<Records> {
    const pool = stack.database.pool;
    const patientId = (await clients.coordinator.createPatient('Ada', familyName)).id;
    const deviceId = (await clients.coordinator.registerDevice(patientId)).id;
    // Readings over the preview's threshold below: a preview naming the patient would count them.
    await storeReadingBatch(
      pool,
      { patient: patientId, device: deviceId },
      bloodPressure(172, 96, new Date(Date.now() - 3_600_000)),
    );
    const visit = await clients.clinician.request<{ id: string }>('POST', '/api/visits', { patientId });
    expect(visit.status).toBe(201);
    const entry = await clients.clinician.request<{ id: string }>(
      'POST',
      `/api/patients/${patientId}/care-time`,
      {
        kind: 'call',
        seconds: 300,
        interactive: true,
        performedAt: new Date(Date.now() - 60_000).toISOString(),
        note: `Note about ${familyName}`,
      },
    );
    expect(entry.status).toBe(201);
    const consent = await clients.clinician.request<{ id: string }>(
      'POST',
      `/api/patients/${patientId}/consents`,
      {
        scope: 'share_with_caregiver',
        method: 'verbal',
      },
    );
    expect(consent.status).toBe(201);
    const rules = await clients.clinician.request<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/patients/${patientId}/rules`,
    );
    expect(rules.status).toBe(200);
    // Alerts are raised by the worker from readings; the row as it writes one.
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       VALUES ($1, $2, 'spo2-low', 'threshold', 'SpO2 below 90 %', 'critical', 'oxygen_saturation', 87, '%',
               now(), $3, 'spo2-1', $4, 'test', 'spo2.low', 87, now()) RETURNING id`,
      [organizationId, patientId, deviceId, randomUUID()],
    );
    return {
      patientId,
      deviceId,
      alertId: rows[0].id,
      visitId: visit.body.id,
      userId: users.clinician.id,
      entryId: entry.body.id,
      consentId: consent.body.id,
      ruleId: rules.body.items[0].id,
      // The team of the people who made the records (the factories' default team).
      careTeamId: await careTeamId(pool, organizationId),
    };
  }

  beforeAll(async () => {
    livekit = await LiveKitDouble.start();
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000000', ...livekit.env() } });
    const pool = stack.database.pool;
    const [orgA, orgB] = [await createOrganization(pool, 'Org A'), await createOrganization(pool, 'Org B')];
    for (const role of ANY) {
      usersA[role] = await createUser(pool, orgA, role);
      usersB[role] = await createUser(pool, orgB, role);
      clientsA[role] = await signIn(usersA[role]);
      clientsB[role] = await signIn(usersB[role]);
    }
    for (const role of ELSEWHERE_ROLES) {
      elsewhereA[role] = await createUser(pool, orgA, role, { careTeam: 'Elsewhere' });
      elsewhereClientsA[role] = await signIn(elsewhereA[role]);
    }
    const familyName = `Secretname${randomBytes(4).toString('hex')}`;
    a = await createRecords(orgA, clientsA, usersA, familyName);
    b = await createRecords(orgB, clientsB, usersB, 'Outsider');
    const { patientId, deviceId } = a;
    secrets = [
      familyName,
      patientId,
      deviceId,
      a.alertId,
      a.visitId,
      a.entryId,
      ...ANY.map((r) => usersA[r].email),
    ];
    // The control: A's own people see the record, and the leak check finds it.
    const own = await clientsA.clinician.request('GET', `/api/patients/${patientId}`);
    expect(own.status).toBe(200);
    expect(leaked(own.body)).toContain(familyName);
    const ownPreview = await clientsA.clinician.request<{ breaches: number }>(
      'POST',
      '/api/rules/preview',
      validBodies(a)['POST /api/rules/preview'],
    );
    expect(ownPreview.body.breaches).toBeGreaterThan(0);
    expect(leaked(ownPreview.body)).toContain(patientId);
    // A colleague of another care team counts nothing of the patient in the same preview.
    const elsewherePreview = await elsewhereClientsA.clinician.request<{ breaches: number }>(
      'POST',
      '/api/rules/preview',
      validBodies(a)['POST /api/rules/preview'],
    );
    expect(elsewherePreview.status).toBe(200);
    expect(elsewherePreview.body.breaches).toBe(0);
    const document = (await new ApiClient(stack.apiUrl).request<OpenApiDocument>('GET', '/api/docs-json'))
      .body;
    routes = routesOf(document).sort((x, y) => Number(endsSession(x)) - Number(endsSession(y)));
  });

  afterAll(async () => {
    await stack?.stop();
    await livekit?.stop();
  });

  it('documents exactly the expected public routes, and every other route in the table of who may call it', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(
      routes
        .filter((route) => route.isPublic)
        .map((route) => route.key)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
    const authenticated = routes.filter((route) => !route.isPublic).map((route) => route.key);
    expect(authenticated.filter((key) => !(key in WHO_MAY))).toEqual([]);
    expect(Object.keys(WHO_MAY).filter((key) => !authenticated.includes(key))).toEqual([]);
    // Every path parameter names a record of A (throws naming the route otherwise).
    for (const route of routes) for (const name of route.pathParams) recordOf(route, name);
  });

  it('answers 401 and nothing else without a token, or with an expired, unsigned, foreign-key, signed-out or disabled user’s one', async () => {
    const secret = stack.env().JWT_SECRET;
    const claims = claimsOf(clientsA.admin.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const revoked = await signIn(usersA.admin);
    expect((await revoked.request('POST', '/api/auth/logout')).status).toBe(204);
    const leaver = await createUser(stack.database.pool, usersA.admin.organizationId, 'coordinator');
    const disabled = await signIn(leaver);
    expect((await clientsA.admin.request('POST', `/api/users/${leaver.id}/disable`)).status).toBe(200);
    const tokens: Record<string, string | undefined> = {
      none: undefined,
      expired: signed({ ...claims, iat: now - 1000, nbf: now - 1000, exp: now - 100 }, secret),
      algNone: `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`,
      otherKey: signed(
        { ...claims, iat: now, nbf: now, exp: now + 600 },
        `another-key-${randomBytes(16).toString('hex')}`,
      ),
      revokedSession: revoked.accessToken,
      disabledUser: disabled.accessToken,
    };
    const bodies = validBodies(a);
    const cases = routes
      .filter((route) => !route.isPublic)
      .flatMap((route) => Object.entries(tokens).map(([name, token]) => ({ route, name, token })));
    const answers = await inBatches(cases, async ({ route, name, token }) => {
      const { path, body } = requestFor(route, a, bodies);
      const response = await new ApiClient(stack.apiUrl, token).request(route.method, path, body);
      return { route: route.key, token: name, status: response.status, body: response.body };
    });
    const wrong = answers.filter(
      (answer) =>
        answer.status !== 401 ||
        leaked(answer.body).length > 0 ||
        JSON.stringify(Object.keys(answer.body ?? {}).sort()) !==
          JSON.stringify(['code', 'error', 'message', 'requestId', 'statusCode']),
    );
    expect(wrong).toEqual([]);
    expect(answers.length).toBe(
      routes.filter((route) => !route.isPublic).length * Object.keys(tokens).length,
    );
  });

  // Outsiders: whoever must not see organisation A's records: anyone of another organisation, and
  // A's own coordinators and clinicians outside the patient's care team.
  const OUTSIDERS: Array<{
    name: string;
    client: () => ApiClient;
    user: () => TestUser;
    sameOrganization?: boolean;
  }> = [
    ...ANY.map((role) => ({
      name: `another organisation's ${role}`,
      client: () => clientsB[role],
      user: () => usersB[role],
    })),
    ...ELSEWHERE_ROLES.map((role) => ({
      name: `a same-organisation ${role} outside the care team`,
      client: () => elsewhereClientsA[role],
      user: () => elsewhereA[role],
      sameOrganization: true,
    })),
  ];

  it.each(OUTSIDERS.map((outsider) => [outsider.name, outsider] as const))(
    'answers %s 404 for A’s records exactly as for missing ones, and lists none of them',
    async (_, outsider) => {
      const bodies = validBodies(a);
      const missing: Records = {
        patientId: randomUUID(),
        deviceId: randomUUID(),
        alertId: randomUUID(),
        visitId: randomUUID(),
        userId: randomUUID(),
        entryId: randomUUID(),
        consentId: randomUUID(),
        ruleId: a.ruleId,
        careTeamId: randomUUID(),
      };
      // Break-glass is the one route that opens a patient outside the caller's teams, on the
      // record (test/break-glass.e2e-spec.ts): a clinician outside the team is meant to succeed.
      const withIds = routes.filter(
        (route) =>
          !route.isPublic &&
          route.pathParams.length > 0 &&
          !(outsider.sameOrganization && route.key === 'POST /api/patients/{patientId}/break-glass'),
      );
      const answers = await inBatches(withIds, async (route) => {
        const real = requestFor(route, a, bodies);
        const absent = requestFor(route, missing, validBodies(missing));
        const [forReal, forAbsent] = [
          await outsider.client().request(route.method, real.path, real.body),
          await outsider.client().request(route.method, absent.path, absent.body),
        ];
        const normalised = (body: unknown, records: Records) => {
          let text = JSON.stringify(body ?? null).replace(/"requestId":"[^"]*"/, '');
          for (const [name, id] of entriesOf(records)) text = text.split(id).join(`<${name}>`);
          return text;
        };
        // A role without the right is refused before any lookup (403), for real and missing alike.
        const expected = WHO_MAY[route.key].includes(outsider.user().role) ? 404 : 403;
        return {
          route: route.key,
          status: forReal.status,
          expected,
          sameAsMissing: normalised(forReal.body, a) === normalised(forAbsent.body, missing),
          leaked: leaked(
            forReal.body,
            entriesOf(a).map(([, id]) => id),
          ),
        };
      });
      expect(
        answers.filter(
          (answer) => answer.status !== answer.expected || !answer.sameAsMissing || answer.leaked.length,
        ),
      ).toEqual([]);

      // Lists and writes that name no record in the path: nothing of A comes back, even when the
      // query or body names A's records.
      const withoutIds = routes.filter((route) => !route.isPublic && route.pathParams.length === 0);
      const check = async (route: Route) => {
        const client = endsSession(route) ? await signIn(outsider.user()) : outsider.client();
        const { path, body } = requestFor(route, a, bodies);
        const response = await client.request(route.method, path, body);
        const sent = entriesOf(a)
          .map(([, id]) => id)
          .filter((id) => path.includes(id) || JSON.stringify(body ?? '').includes(id));
        // Allowed: any answer but a server error or a refused token; a role without the right: 403.
        const expected = WHO_MAY[route.key].includes(outsider.user().role) ? 'answered' : 403;
        const status =
          expected === 403 || response.status >= 500 || response.status === 401
            ? response.status
            : 'answered';
        return { route: route.key, status, expected, leaked: leaked(response.body, sent) };
      };
      // Signing out everywhere ends the outsider's other sessions: those routes one at a time, last.
      const listed = [
        ...(await inBatches(
          withoutIds.filter((route) => !endsSession(route)),
          check,
          4,
        )),
        ...(await inBatches(withoutIds.filter(endsSession), check, 1)),
      ];
      expect(listed.filter((answer) => answer.status !== answer.expected || answer.leaked.length)).toEqual(
        [],
      );
    },
  );

  it('answers 403 and nothing else to a role without the right, on A’s own records', async () => {
    const bodies = validBodies(a);
    const cases = routes
      .filter((route) => !route.isPublic)
      .flatMap((route) =>
        ANY.filter((role) => !WHO_MAY[route.key].includes(role)).map((role) => ({ route, role })),
      );
    expect(cases.length).toBeGreaterThan(30);
    const answers = await inBatches(cases, async ({ route, role }) => {
      const { path, body } = requestFor(route, a, bodies);
      const response = await clientsA[role].request<Record<string, unknown>>(route.method, path, body);
      return {
        route: route.key,
        role,
        status: response.status,
        code: response.body?.code,
        leaked: leaked(response.body),
      };
    });
    expect(
      answers.filter(
        (answer) => answer.status !== 403 || answer.code !== 'role_not_allowed' || answer.leaked.length,
      ),
    ).toEqual([]);
  });

  it('refuses an outsider’s writes on their own records when the body names A’s records, and changes nothing of A', async () => {
    const bodies = validBodies(a);
    const naming = routes.filter(
      (route) =>
        !route.isPublic &&
        route.method !== 'GET' &&
        // A preview only reads: it leaves out patients outside the caller's organisation (checked above).
        route.key !== 'POST /api/rules/preview' &&
        entriesOf(a).some(([, id]) => JSON.stringify(bodies[route.key] ?? null).includes(id)),
    );
    expect(naming.length).toBeGreaterThanOrEqual(4);
    const answers = await inBatches(naming, async (route) => {
      const role = WHO_MAY[route.key][0];
      let path = route.path;
      for (const name of route.pathParams)
        path = path.replace(`{${name}}`, encodeURIComponent(b[recordOf(route, name)]));
      // The outsider tests above signed B's users out everywhere: a session of its own.
      const response = await (await signIn(usersB[role])).request(route.method, path, bodies[route.key]);
      return {
        route: route.key,
        role,
        status: response.status,
        leaked: leaked(
          response.body,
          entriesOf(a).map(([, id]) => id),
        ),
      };
    });
    expect(answers.filter((answer) => answer.status !== 404 || answer.leaked.length)).toEqual([]);
    const { rows } = await stack.database.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM devices WHERE patient_id = $1)::int
            + (SELECT count(*) FROM visits WHERE patient_id = $1)::int
            + (SELECT count(*) FROM alerts WHERE assigned_to = $2)::int AS n`,
      [a.patientId, a.userId],
    );
    expect(rows[0].n).toBe(2);
  });
});
