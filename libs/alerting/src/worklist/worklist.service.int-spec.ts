import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import {
  createDevice,
  createIntegrationModule,
  createOrganization,
  assignToCareTeam,
  createUser,
  refreshReadingDays,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import type { Principal } from '@homeward/access';
import { WorklistModule } from './worklist.module';
import { WorklistService, type WorklistQuery } from './worklist.service';

/** Noon UTC: "today" is 26 November everywhere the spec looks (UTC, Chicago, Auckland). */
const NOW = new Date('2026-11-26T12:00:00Z');

describe('WorklistService: the patients list ranks, pages and counts adherence (PostgreSQL)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let worklist: WorklistService;
  let principal: Principal;
  let outsider: Principal;
  let organization: string;
  const ids: Record<string, string> = {};

  const patient = async (
    org: string,
    givenName: string,
    familyName: string,
    timeZone: string | null = null,
  ) => {
    const { rows } = await database.pool.query<{ id: string }>(
      `INSERT INTO patients (organization_id, given_name, family_name, birth_date, time_zone)
       VALUES ($1, $2, $3, '1950-01-01', $4) RETURNING id`,
      [org, givenName, familyName, timeZone],
    );
    // In the organisation's default care team, as its staff made by createUser are.
    await assignToCareTeam(database.pool, org, rows[0].id);
    return rows[0].id;
  };

  /** One message of a device: each [type, value, unit] a reading measured at `at`. */
  const reading = async (
    org: string,
    patientId: string,
    at: string,
    values: Array<[string, number, string]> = [['body_weight', 80, 'kg']],
  ) => {
    const device = await createDevice(database.pool, org, patientId);
    const messageId = randomUUID();
    for (const [type, value, unit] of values)
      await database.pool.query(
        `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                               source_value, source_unit, batch_id)
         VALUES ($1, $2, $3, $4, $5, 'x', $6, $7, $6, $7, $8)`,
        [at, patientId, device, messageId, type, value, unit, randomUUID()],
      );
    await refreshReadingDays(database.pool, [patientId]);
  };

  const alert = async (patientId: string, severity: string, status = 'open') => {
    await database.pool.query(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                           correlation_id, episode_key)
       VALUES ($1, $2, $3, 'missed', 'test', $4, $5, 'test', $3)`,
      [organization, patientId, `rule.${randomUUID().slice(0, 8)}`, severity, status],
    );
  };

  const list = (query: Partial<WorklistQuery> = {}, as: Principal = principal) =>
    worklist.list(as, { sort: 'name', order: 'asc', limit: 50, offset: 0, ...query }, NOW);
  const names = async (query: Partial<WorklistQuery> = {}) =>
    (await list(query)).items.map((item) => item.patient.familyName);

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'worker', imports: [WorklistModule] });
    ({ moduleRef, database } = integration);
    worklist = moduleRef.get(WorklistService);
    organization = await createOrganization(database.pool, 'Worklist Org');
    const other = await createOrganization(database.pool, 'Other Org');
    const user = await createUser(database.pool, organization, 'clinician');
    principal = { userId: user.id, organizationId: organization, role: 'clinician' };
    const stranger = await createUser(database.pool, other, 'coordinator');
    outsider = { userId: stranger.id, organizationId: other, role: 'coordinator' };

    // UTC: the window runs from 28 October 00:00 (29 days before today) to now.
    ids.boundary = await patient(organization, 'Bea', 'Boundary');
    await reading(organization, ids.boundary, '2026-10-27T23:59:59.999Z');
    await reading(organization, ids.boundary, '2026-10-28T00:00:00Z');
    for (const at of ['2026-11-20T08:00:00Z', '2026-11-20T09:00:00Z', '2026-11-20T23:30:00Z'])
      await reading(organization, ids.boundary, at);
    await reading(organization, ids.boundary, '2026-11-26T11:00:00Z');
    await reading(organization, ids.boundary, '2026-11-26T13:00:00Z'); // after "now": not yet

    // Chicago (UTC-5 until 1 November, UTC-6 after): its own midnights and days.
    ids.chicago = await patient(organization, 'Carl', 'Chicago', 'America/Chicago');
    await reading(organization, ids.chicago, '2026-10-28T04:59:00Z'); // 27 Oct 23:59 local: out
    await reading(organization, ids.chicago, '2026-10-28T05:00:00Z'); // 28 Oct 00:00 local: in
    await reading(organization, ids.chicago, '2026-11-20T20:00:00Z'); // 20 Nov 14:00 local
    await reading(organization, ids.chicago, '2026-11-21T03:00:00Z'); // 20 Nov 21:00 local: same day

    // A blood-pressure message, the newest reading of its patient; an older weight.
    ids.cuff = await patient(organization, 'Ada', 'Lovelace');
    await reading(organization, ids.cuff, '2026-11-25T07:00:00Z', [['body_weight', 70.5, 'kg']]);
    await reading(organization, ids.cuff, '2026-11-26T07:30:00Z', [
      ['heart_rate', 71, '/min'],
      ['blood_pressure_diastolic', 91, 'mm[Hg]'],
      ['blood_pressure_systolic', 142, 'mm[Hg]'],
    ]);
    await alert(ids.cuff, 'warning');
    await alert(ids.cuff, 'warning', 'acknowledged');
    await alert(ids.cuff, 'critical', 'resolved'); // closed: not counted
    await database.pool.query(
      `INSERT INTO patient_protocols (patient_id, protocol_key, organization_id) VALUES ($1, 'hypertension', $2)`,
      [ids.cuff, organization],
    );

    ids.critical = await patient(organization, 'Dora', 'Critical');
    await reading(organization, ids.critical, '2026-11-01T10:00:00Z');
    await alert(ids.critical, 'critical', 'escalated');

    ids.silent = await patient(organization, 'Eve', 'Silent');
    ids.percent = await patient(organization, 'Fay', '100%_Sure');
    ids.outsider = await patient(other, 'Ada', 'Elsewhere');
    await reading(other, ids.outsider, '2026-11-26T08:00:00Z');
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('counts the days with readings in the last 30, today included: several on one day count once', async () => {
    const { items } = await list();
    const adherence = Object.fromEntries(items.map((item) => [item.patient.familyName, item.adherence]));
    // 28 Oct (the first day of the window), 20 Nov (three readings), 26 Nov (before now).
    expect(adherence.Boundary).toEqual({ days: 3, windowDays: 30 });
    expect(adherence.Silent).toEqual({ days: 0, windowDays: 30 });
  });

  it("counts days in the patient's time zone: the window starts at its midnight, and its evenings are one day", async () => {
    const { items } = await list({ search: 'chicago' });
    // 28 Oct local (05:00 UTC), and 20 Nov local twice (once in UTC terms on the 21st).
    expect(items.map((item) => [item.patient.timeZone, item.adherence.days])).toEqual([
      ['America/Chicago', 2],
    ]);
  });

  it('gives the last measurement with the values measured with it, open alerts and protocols', async () => {
    const [ada] = (await list({ search: 'lovelace' })).items;
    expect(ada.lastReading).toMatchObject({
      type: 'blood_pressure_systolic',
      value: 142,
      unit: 'mm[Hg]',
      measuredAt: new Date('2026-11-26T07:30:00Z'),
      alongside: [
        { type: 'blood_pressure_diastolic', value: 91, unit: 'mm[Hg]' },
        { type: 'heart_rate', value: 71, unit: '/min' },
      ],
    });
    expect(ada.openAlerts).toEqual({ count: 2, worstSeverity: 'warning' });
    expect(ada.protocols).toEqual(['hypertension']);
    const [eve] = (await list({ search: 'silent' })).items;
    expect(eve).toMatchObject({
      lastReading: null,
      openAlerts: { count: 0, worstSeverity: null },
      protocols: [],
    });
  });

  it('sorts by name, last reading, open alerts and adherence, either way, ties by name', async () => {
    expect(await names()).toEqual(['100%_Sure', 'Boundary', 'Chicago', 'Critical', 'Lovelace', 'Silent']);
    expect(await names({ order: 'desc' })).toEqual([
      'Silent',
      'Lovelace',
      'Critical',
      'Chicago',
      'Boundary',
      '100%_Sure',
    ]);
    // Never measured first when oldest first: they are the most out of touch.
    expect(await names({ sort: 'lastReading', order: 'asc' })).toEqual([
      '100%_Sure',
      'Silent',
      'Critical',
      'Chicago',
      'Lovelace',
      'Boundary',
    ]);
    // One critical outranks two warnings.
    expect((await names({ sort: 'openAlerts', order: 'desc' })).slice(0, 2)).toEqual([
      'Critical',
      'Lovelace',
    ]);
    expect(await names({ sort: 'adherence', order: 'desc' })).toEqual([
      'Boundary',
      'Chicago',
      'Lovelace',
      'Critical',
      '100%_Sure',
      'Silent',
    ]);
  });

  it('pages after ranking and reports the total', async () => {
    const page = await list({ sort: 'adherence', order: 'desc', limit: 2, offset: 1 });
    expect(page.total).toBe(6);
    expect(page.items.map((item) => item.patient.familyName)).toEqual(['Chicago', 'Lovelace']);
  });

  it('searches given and family names in any case, whole names too, and LIKE wildcards literally', async () => {
    expect(await names({ search: 'LOVE' })).toEqual(['Lovelace']);
    expect(await names({ search: 'ada lovelace' })).toEqual(['Lovelace']);
    expect(await names({ search: 'Lovelace, Ada' })).toEqual(['Lovelace']);
    expect(await names({ search: '100%' })).toEqual(['100%_Sure']);
    expect(await names({ search: '%' })).toEqual(['100%_Sure']);
    expect(await names({ search: 'nobody' })).toEqual([]);
  });

  it("never lists another organisation's patients, and audits each list", async () => {
    const before = await database.pool.query<{ count: string }>(
      "SELECT count(*) FROM audit_events WHERE action = 'patient.list'",
    );
    const mine = await list({ search: 'ada' });
    expect(mine.items.map((item) => item.patient.id)).toEqual([ids.cuff]);
    const theirs = await list({ search: 'ada' }, outsider);
    expect(theirs.items.map((item) => item.patient.id)).toEqual([ids.outsider]);
    expect(theirs.items[0].adherence.days).toBe(1);
    const after = await database.pool.query<{ count: string }>(
      "SELECT count(*) FROM audit_events WHERE action = 'patient.list'",
    );
    expect(Number(after.rows[0].count) - Number(before.rows[0].count)).toBe(2);
  });
});
