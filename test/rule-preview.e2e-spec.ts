import { randomUUID } from 'node:crypto';
import {
  ApiClient,
  TestStack,
  createDevice,
  createOrganization,
  createPatient,
  createUser,
} from '@homeward/testing';

interface Figures {
  breaches: number;
  alerts: number;
  byPatient: Array<{ patientId: string; breaches: number; alerts: number }>;
}

const HOUR = 3600_000;
const RULE = {
  kind: 'threshold',
  type: 'blood_pressure_systolic',
  operator: '>=',
  value: 160,
  severity: 'warning',
};

describe('rule backtesting: POST /api/rules/preview (api process; PostgreSQL)', () => {
  let stack: TestStack;
  let coordinator: ApiClient;
  let clinician: ApiClient;
  let patients: { steady: string; spiky: string; old: string; outsider: string };
  /** Systolic values per patient, as stored: the brute-force count reads these. */
  const stored = new Map<string, Array<{ value: number; hoursAgo: number }>>();

  const store = async (
    organization: string,
    patient: string,
    series: Array<{ value: number; hoursAgo: number }>,
  ) => {
    const device = await createDevice(stack.database.pool, organization, patient);
    stored.set(patient, series);
    for (const [i, point] of series.entries()) {
      await stack.database.pool.query(
        `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                               source_value, source_unit, batch_id)
         VALUES ($1, $2, $3, $4, 'blood_pressure_systolic', '8480-6', $5, 'mm[Hg]', $5, 'mm[Hg]', $6),
                ($1, $2, $3, $4, 'blood_pressure_diastolic', '8462-4', 80, 'mm[Hg]', 80, 'mm[Hg]', $6)`,
        [new Date(Date.now() - point.hoursAgo * HOUR), patient, device, `m-${i}`, point.value, randomUUID()],
      );
    }
  };

  /** The obvious count: readings in the window at or above the cut-off. */
  const bruteForceBreaches = (patient: string, days: number) =>
    (stored.get(patient) ?? []).filter((p) => p.hoursAgo <= days * 24 && p.value >= 160).length;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'] });
    const organization = await createOrganization(stack.database.pool, 'Preview Org');
    const other = await createOrganization(stack.database.pool, 'Other Org');
    const user = await createUser(stack.database.pool, organization, 'coordinator');
    coordinator = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const doctor = await createUser(stack.database.pool, organization, 'clinician');
    clinician = await new ApiClient(stack.apiUrl).login(doctor.email, doctor.password);
    patients = {
      steady: await createPatient(stack.database.pool, organization),
      spiky: await createPatient(stack.database.pool, organization),
      old: await createPatient(stack.database.pool, organization),
      outsider: await createPatient(stack.database.pool, other),
    };
    // Two breaches in a row, a reading in range, a breach within the cool-down: one alert.
    await store(organization, patients.spiky, [
      { value: 150, hoursAgo: 30 },
      { value: 165, hoursAgo: 29 },
      { value: 170, hoursAgo: 28 },
      { value: 150, hoursAgo: 27 },
      { value: 162, hoursAgo: 26 },
      // In range again, then a breach long after the cool-down: a second alert.
      { value: 140, hoursAgo: 20 },
      { value: 175, hoursAgo: 2 },
    ]);
    await store(organization, patients.steady, [
      { value: 128, hoursAgo: 48 },
      { value: 131, hoursAgo: 24 },
    ]);
    await store(organization, patients.old, [{ value: 190, hoursAgo: 40 * 24 }]);
    await store(other, patients.outsider, [{ value: 200, hoursAgo: 5 }]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("replays the organisation's readings through a proposed rule, per patient, beside the current rules", async () => {
    const response = await coordinator.request<Figures & { current: Figures }>('POST', '/api/rules/preview', {
      rule: RULE,
      days: 30,
    });
    expect(response.status).toBe(200);
    const byPatient = new Map(response.body.byPatient.map((row) => [row.patientId, row]));
    // Every patient of the organisation, none of another's.
    expect([...byPatient.keys()].sort()).toEqual([patients.steady, patients.spiky, patients.old].sort());
    for (const patient of [patients.steady, patients.spiky, patients.old])
      expect(byPatient.get(patient)?.breaches).toBe(bruteForceBreaches(patient, 30));
    expect(byPatient.get(patients.spiky)).toMatchObject({ breaches: 4, alerts: 2 });
    expect(byPatient.get(patients.old)).toMatchObject({ breaches: 0, alerts: 0 });
    expect(response.body).toMatchObject({ breaches: 4, alerts: 2 });
    // Today's defaults (grade 2 at systolic >= 160) see the same breaches on the same readings.
    expect(response.body.current.byPatient.find((row) => row.patientId === patients.spiky)?.breaches).toBe(4);

    const longer = await coordinator.request<Figures>('POST', '/api/rules/preview', { rule: RULE, days: 60 });
    expect(longer.body.byPatient.find((row) => row.patientId === patients.old)?.breaches).toBe(
      bruteForceBreaches(patients.old, 60),
    );
  });

  it('limits the replay to the patients asked for, within the organisation', async () => {
    const response = await coordinator.request<Figures>('POST', '/api/rules/preview', {
      rule: RULE,
      days: 30,
      patientIds: [patients.spiky, patients.outsider],
    });
    expect(response.status).toBe(200);
    expect(response.body.byPatient.map((row) => row.patientId)).toEqual([patients.spiky]);
  });

  it('refuses a rule that cannot be evaluated, saying what is wrong and where', async () => {
    const response = await coordinator.request<{ code: string; problems: Array<{ path: string }> }>(
      'POST',
      '/api/rules/preview',
      { rule: { ...RULE, type: 'blood_sugar_level' }, days: 30 },
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('invalid_rule');
    expect(response.body.problems.map((problem) => problem.path)).toContain('/type');
    const inverted = await coordinator.request('POST', '/api/rules/preview', {
      rule: {
        kind: 'change',
        type: 'body_weight',
        direction: 'increase',
        amount: -1,
        unit: 'kg',
        windowHours: 24,
        severity: 'warning',
      },
      days: 30,
    });
    expect(inverted.status).toBe(400);
  });

  it("lists the protocol templates, sets a patient's protocols and shows the rules that follow", async () => {
    const protocols = await coordinator.request<{
      items: Array<{ key: string; rules: Array<{ id: string; source: string }> }>;
    }>('GET', '/api/protocols');
    expect(protocols.status).toBe(200);
    expect(protocols.body.items.map((p) => p.key)).toEqual([
      'hypertension',
      'heart_failure',
      'copd',
      'copd_hypercapnic',
      'diabetes',
    ]);
    expect(
      protocols.body.items.every((p) => p.rules.length > 0 && p.rules.every((r) => r.source.length > 0)),
    ).toBe(true);

    type Rules = {
      protocols: string[];
      items: Array<{ id: string; source: string; protocol: string | null; definition: { kind: string } }>;
    };
    const before = await coordinator.request<Rules>('GET', `/api/patients/${patients.steady}/rules`);
    expect(before.body.protocols).toEqual([]);
    expect(before.body.items.every((rule) => rule.protocol === null && rule.id.startsWith('default.'))).toBe(
      true,
    );

    const set = await coordinator.request('PUT', `/api/patients/${patients.steady}/protocols`, {
      keys: ['heart_failure'],
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ keys: ['heart_failure'] });
    const after = await coordinator.request<Rules>('GET', `/api/patients/${patients.steady}/rules`);
    expect(after.body.protocols).toEqual(['heart_failure']);
    expect(after.body.items.map((rule) => rule.id)).toContain('heart_failure.weight.day');
    // The protocol's groups replace the defaults of those groups only: the crisis rule stays.
    const sources = Object.fromEntries(
      after.body.items.map((rule) => [rule.id, [rule.source, rule.protocol]]),
    );
    expect(sources['heart_failure.weight.day']).toEqual(['protocol', 'heart_failure']);
    expect(sources['default.bp.crisis']).toEqual(['default', null]);
    expect(sources['default.bp.low']).toBeUndefined();
    expect(sources['heart_failure.bp.low']).toEqual(['protocol', 'heart_failure']);
    expect(after.body.items.find((rule) => rule.id === 'heart_failure.weight.day')?.definition.kind).toBe(
      'change',
    );

    expect(
      (await coordinator.request('PUT', `/api/patients/${patients.steady}/protocols`, { keys: ['asthma'] }))
        .status,
    ).toBe(400);
    expect(
      (await coordinator.request('PUT', `/api/patients/${patients.outsider}/protocols`, { keys: ['copd'] }))
        .status,
    ).toBe(404);
    expect((await coordinator.request('GET', `/api/patients/${patients.outsider}/rules`)).status).toBe(404);
    const audited = await stack.database.pool.query(
      "SELECT 1 FROM audit_events WHERE action = 'patient.protocols.set' AND patient_id = $1",
      [patients.steady],
    );
    expect(audited.rowCount).toBe(1);
  });

  it("overrides one of a patient's rules for clinicians, versioned, and lets coordinators only read it", async () => {
    const route = `/api/patients/${patients.spiky}/rules/default.bp.grade2/override`;
    const body = { definition: { ...RULE, value: 170 }, reason: 'Baseline systolic 165 on three agents' };
    expect((await coordinator.request('PUT', route, body)).status).toBe(403);

    const set = await clinician.request<{ id: string; version: number; description: string }>(
      'PUT',
      route,
      body,
    );
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      id: 'default.bp.grade2',
      version: 1,
      description: 'Systolic ≥ 170 mmHg',
    });
    const rules = await coordinator.request<{
      items: Array<{ id: string; version: number; override: unknown }>;
    }>('GET', `/api/patients/${patients.spiky}/rules`);
    expect(rules.body.items.find((rule) => rule.id === 'default.bp.grade2')).toMatchObject({
      version: 1,
      override: { reason: 'Baseline systolic 165 on three agents', version: 1 },
    });
    // The current rules of the preview are the patient's: 170 and 175 breach the override.
    const preview = await coordinator.request<Figures & { current: Figures }>('POST', '/api/rules/preview', {
      rule: RULE,
      patientIds: [patients.spiky],
      days: 30,
    });
    expect(preview.body.breaches).toBe(4);
    expect(preview.body.current.breaches).toBe(2);

    const ended = await clinician.request<{ version: number }>('DELETE', route, {
      reason: 'Medication changed',
    });
    expect(ended.status).toBe(200);
    expect(ended.body.version).toBe(0);
    expect((await clinician.request('DELETE', route, { reason: 'again' })).status).toBe(404);
    const versions = await coordinator.request<{ items: Array<{ version: number; definition: unknown }> }>(
      'GET',
      `/api/patients/${patients.spiky}/rules/default.bp.grade2/versions`,
    );
    expect(versions.body.items.map((v) => [v.version, v.definition === null])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it('refuses overrides that cannot stand in for the rule, with a specific 400 or 404', async () => {
    const route = (patient: string, rule = 'default.bp.grade2') =>
      `/api/patients/${patient}/rules/${rule}/override`;
    const put = (path: string, body: unknown) => clinician.request<{ code?: string }>('PUT', path, body);
    const reason = 'test';
    expect(
      (await put(route(patients.old), { definition: { ...RULE, value: '170' }, reason })).body.code,
    ).toBe('invalid_rule');
    expect(
      (await put(route(patients.old), { definition: { ...RULE, type: 'heart_rate' }, reason })).body.code,
    ).toBe('rule_override_types');
    expect((await put(route(patients.old), { definition: RULE })).status).toBe(400);
    expect((await put(route(patients.old), { definition: RULE, reason: 'x'.repeat(501) })).status).toBe(400);
    expect(
      (await put(route(patients.old), { definition: RULE, reason, expiresAt: '2020-01-01T00:00:00Z' })).body
        .code,
    ).toBe('rule_override_expiry');
    expect((await put(route(patients.old, 'copd.spo2.low'), { definition: RULE, reason })).body.code).toBe(
      'rule_not_found',
    );
    expect((await put(route(patients.old, 'DROP TABLE'), { definition: RULE, reason })).body.code).toBe(
      'invalid_rule_id',
    );
    expect((await put(route(patients.outsider), { definition: RULE, reason })).status).toBe(404);
    expect((await put(route(patients.old), { definition: RULE, reason: 'nul \u0000' })).status).toBe(400);
  });
});
