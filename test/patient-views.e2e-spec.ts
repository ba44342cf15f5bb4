import { randomUUID } from 'node:crypto';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  refreshReadingDays,
  type TestUser,
} from '@homeward/testing';

interface WorklistBody {
  total: number;
  items: Array<{
    id: string;
    familyName: string;
    timeZone: string | null;
    lastReading: { type: string; value: number; unit: string; alongside: unknown[] } | null;
    openAlerts: { count: number; worstSeverity: string | null };
    adherence: { days: number; windowDays: number };
  }>;
}

describe('patients list and patient view routes: worklist, device contact, alerting readings (api process)', () => {
  let stack: TestStack;
  let coordinatorA: TestUser;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let clinicianA: ApiClient;
  let orgA: string;
  let patientA: string;
  let deviceA: string;
  const anonymous = () => new ApiClient(stack.apiUrl);

  const auditSince = async (since: string) =>
    (
      await stack.database.pool.query<{
        action: string;
        outcome: string;
        patient_id: string | null;
        request_id: string | null;
      }>(`SELECT action, outcome, patient_id, request_id FROM audit_events WHERE id > $1 ORDER BY id`, [
        since,
      ])
    ).rows;
  const lastAuditId = async () =>
    (await stack.database.pool.query<{ max: string | null }>('SELECT max(id)::text AS max FROM audit_events'))
      .rows[0].max ?? '0';

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
    orgA = await createOrganization(stack.database.pool, 'Org A');
    const orgB = await createOrganization(stack.database.pool, 'Org B');
    coordinatorA = await createUser(stack.database.pool, orgA, 'coordinator');
    const clinician = await createUser(stack.database.pool, orgA, 'clinician');
    const coordinatorB = await createUser(stack.database.pool, orgB, 'coordinator');
    apiA = await anonymous().login(coordinatorA.email, coordinatorA.password);
    clinicianA = await anonymous().login(clinician.email, clinician.password);
    apiB = await anonymous().login(coordinatorB.email, coordinatorB.password);
    const created = await apiA.request<{ id: string; timeZone: string | null }>('POST', '/api/patients', {
      givenName: 'Grace',
      familyName: 'Hopper',
      birthDate: '1946-12-09',
      timeZone: 'America/New_York',
    });
    expect(created.status).toBe(201);
    expect(created.body.timeZone).toBe('America/New_York');
    patientA = created.body.id;
    deviceA = (await apiA.registerDevice(patientA, 'bp_cuff')).id;
    await apiB.createPatient('Grace', 'Elsewhere');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('requires a token on every new route', async () => {
    for (const path of [
      '/api/worklist',
      `/api/patients/${patientA}/devices/contact`,
      `/api/patients/${patientA}/alert-readings`,
    ])
      expect({ path, status: (await anonymous().request('GET', path)).status }).toEqual({
        path,
        status: 401,
      });
  });

  it('keeps the existing patient routes as they were, with the time zone, phone, email and care teams beside the old fields', async () => {
    const patient = await apiA.request<Record<string, unknown>>('GET', `/api/patients/${patientA}`);
    expect(Object.keys(patient.body).sort()).toEqual(
      [
        'birthDate',
        'createdAt',
        'email',
        'familyName',
        'givenName',
        'id',
        'phone',
        'timeZone',
        'careTeamIds',
      ].sort(),
    );
    const plain = await apiA.createPatient('No', 'Zone');
    expect(
      (await apiA.request<{ timeZone: null }>('GET', `/api/patients/${plain.id}`)).body.timeZone,
    ).toBeNull();
  });

  it('refuses a time zone that is not an IANA name', async () => {
    const response = await apiA.request<{ message: string[] }>('POST', '/api/patients', {
      givenName: 'Bad',
      familyName: 'Zone',
      birthDate: '1950-01-01',
      timeZone: 'Mars/Olympus_Mons',
    });
    expect(response.status).toBe(400);
    expect(response.body.message.join(' ')).toMatch(/timeZone/);
  });

  it("lists the organisation's patients with their figures, searched, for clinicians too; audited as patient.list", async () => {
    const since = await lastAuditId();
    await stack.database.pool.query(
      `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                             source_value, source_unit, batch_id)
       VALUES (now() - interval '1 hour', $1, $2, 'bp-1', 'blood_pressure_systolic', '8480-6', 150, 'mm[Hg]', 150, 'mm[Hg]', $3),
              (now() - interval '1 hour', $1, $2, 'bp-1', 'blood_pressure_diastolic', '8462-4', 95, 'mm[Hg]', 95, 'mm[Hg]', $3)`,
      [patientA, deviceA, randomUUID()],
    );
    await refreshReadingDays(stack.database.pool, [patientA]);
    const response = await clinicianA.request<WorklistBody>('GET', '/api/worklist?search=hop', undefined, {
      'x-request-id': 'worklist-1',
    });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(1);
    expect(response.body.items[0]).toMatchObject({
      id: patientA,
      familyName: 'Hopper',
      timeZone: 'America/New_York',
      lastReading: {
        type: 'blood_pressure_systolic',
        value: 150,
        unit: 'mm[Hg]',
        alongside: [{ type: 'blood_pressure_diastolic', value: 95, unit: 'mm[Hg]' }],
      },
      openAlerts: { count: 0, worstSeverity: null },
      adherence: { days: 1, windowDays: 30 },
    });
    expect(await auditSince(since)).toEqual([
      { action: 'patient.list', outcome: 'allowed', patient_id: null, request_id: 'worklist-1' },
    ]);
    const theirs = await apiB.request<WorklistBody>('GET', '/api/worklist?sort=adherence&order=desc');
    expect(theirs.body.items.map((item) => item.familyName)).toEqual(['Elsewhere']);
  });

  it('answers 400 naming the field for a bad sort, order, paging or an unknown parameter', async () => {
    for (const query of [
      'sort=age',
      'order=up',
      'limit=0',
      'limit=501',
      'offset=-1',
      'colour=red',
      'limit=ten',
    ]) {
      const response = await apiA.request<{ message: string[] }>('GET', `/api/worklist?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
    const long = await apiA.request('GET', `/api/worklist?search=${'x'.repeat(101)}`);
    expect(long.status).toBe(400);
  });

  it('lists devices with their last contact; 404 for another organisation, audited as device.list', async () => {
    const before = await apiA.request<{ items: Array<{ id: string; lastContactAt: string | null }> }>(
      'GET',
      `/api/patients/${patientA}/devices/contact`,
    );
    expect(before.status).toBe(200);
    expect(before.body.items).toEqual([
      expect.objectContaining({ id: deviceA, kind: 'bp_cuff', lastContactAt: null, lastMeasuredAt: null }),
    ]);
    await stack.database.pool.query(
      `INSERT INTO device_messages (device_id, message_id, measured_at, batch_id, received_at)
       VALUES ($1, 'old', '2026-11-01T08:00:00Z', $2, '2026-11-01T08:00:05Z'),
              ($1, 'new', '2026-11-20T08:00:00Z', $2, '2026-11-20T08:00:02Z')`,
      [deviceA, randomUUID()],
    );
    const since = await lastAuditId();
    const after = await apiA.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/api/patients/${patientA}/devices/contact`,
    );
    expect(after.body.items[0]).toMatchObject({
      lastContactAt: '2026-11-20T08:00:02.000Z',
      lastMeasuredAt: '2026-11-20T08:00:00.000Z',
      clockSuspect: false,
      clockSuspectSeenAt: null,
    });
    expect((await apiB.request('GET', `/api/patients/${patientA}/devices/contact`)).status).toBe(404);
    expect((await apiA.request('GET', `/api/patients/${randomUUID()}/devices/contact`)).status).toBe(404);
    expect((await apiA.request('GET', `/api/patients/not-a-uuid/devices/contact`)).status).toBe(400);
    const audit = await auditSince(since);
    expect(audit.map((row) => [row.action, row.outcome])).toEqual([
      ['device.list', 'allowed'],
      ['device.list', 'denied'],
      ['device.list', 'denied'],
    ]);
    // A message whose Bluetooth time stamp was whole hours off: the device's clock is suspect
    // until a message with a plausible time stamp arrives after it.
    await stack.database.pool.query(
      `INSERT INTO device_messages (device_id, message_id, measured_at, batch_id, received_at, clock_suspect)
       VALUES ($1, 'zoned', '2026-11-21T08:00:00Z', $2, '2026-11-21T08:00:03Z', true)`,
      [deviceA, randomUUID()],
    );
    const suspect = await apiA.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/api/patients/${patientA}/devices/contact`,
    );
    expect(suspect.body.items[0]).toMatchObject({
      clockSuspect: true,
      clockSuspectSeenAt: '2026-11-21T08:00:03.000Z',
    });
    await stack.database.pool.query(
      `INSERT INTO device_messages (device_id, message_id, measured_at, batch_id, received_at, clock_suspect)
       VALUES ($1, 'fixed', '2026-11-22T08:00:00Z', $2, '2026-11-22T08:00:01Z', false)`,
      [deviceA, randomUUID()],
    );
    const fixed = await apiA.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/api/patients/${patientA}/devices/contact`,
    );
    expect(fixed.body.items[0]).toMatchObject({ clockSuspect: false });
  });

  it("lists the patient's alerting readings in a window with their alert; 404 elsewhere; 400 for a bad window", async () => {
    const { rows } = await stack.database.pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       VALUES ($1, $2, 'hypertension.bp.stage2', 'threshold', 'Systolic ≥ 140', 'warning', 'blood_pressure_systolic',
               150, 'mm[Hg]', '2026-11-20T08:00:00Z', $3, 'bp-x', $4, 'test', 'hypertension.bp', 150,
               '2026-11-20T08:00:00Z')
       RETURNING id`,
      [orgA, patientA, deviceA, randomUUID()],
    );
    for (const [messageId, at, value] of [
      ['bp-x', '2026-11-20T08:00:00Z', 150],
      ['bp-y', '2026-11-02T08:00:00Z', 160],
    ] as const)
      await stack.database.pool.query(
        `INSERT INTO alert_occurrences (alert_id, patient_id, episode_key, rule_id, severity, device_id, message_id,
                                        type, measured_at, value, unit, batch_id)
         VALUES ($1, $2, 'hypertension.bp', 'hypertension.bp.stage2', 'warning', $3, $4,
                 'blood_pressure_systolic', $5, $6, 'mm[Hg]', $7)`,
        [rows[0].id, patientA, deviceA, messageId, at, value, randomUUID()],
      );
    const since = await lastAuditId();
    const response = await clinicianA.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/api/patients/${patientA}/alert-readings?from=2026-11-10T00:00:00Z&to=2026-11-26T00:00:00Z`,
    );
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      {
        alertId: rows[0].id,
        alertStatus: 'open',
        ruleId: 'hypertension.bp.stage2',
        ruleVersion: 0,
        severity: 'warning',
        deviceId: deviceA,
        messageId: 'bp-x',
        type: 'blood_pressure_systolic',
        measuredAt: '2026-11-20T08:00:00.000Z',
        value: 150,
        unit: 'mm[Hg]',
      },
    ]);
    expect(await auditSince(since)).toEqual([
      { action: 'alert.list', outcome: 'allowed', patient_id: patientA, request_id: expect.any(String) },
    ]);
    expect((await apiB.request('GET', `/api/patients/${patientA}/alert-readings`)).status).toBe(404);
    for (const query of [
      'from=2026-11-26T00:00:00Z&to=2026-11-01T00:00:00Z',
      'from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z',
      'from=yesterday',
    ]) {
      const bad = await apiA.request('GET', `/api/patients/${patientA}/alert-readings?${query}`);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
    }
  });

  it('documents the new routes in the OpenAPI document, with integer paging', async () => {
    const docs = await anonymous().request<{
      paths: Record<string, { get: { parameters?: Array<{ name: string; schema?: { type?: string } }> } }>;
    }>('GET', '/api/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/worklist',
        '/api/patients/{patientId}/devices/contact',
        '/api/patients/{patientId}/alert-readings',
      ]),
    );
    const limit = docs.body.paths['/api/worklist'].get.parameters?.find((p) => p.name === 'limit');
    expect(limit?.schema?.type).toBe('integer');
  });
});
