import { randomUUID } from 'node:crypto';
import type { Principal } from '@homeward/access';
import { Database } from '@homeward/platform';
import {
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  createVisit,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { CareModule } from '../care.module';
import { formatMonth, monthAt } from './care-time-month';
import { CareTimeService } from './care-time.service';

/** The care-time ledger against PostgreSQL: months on the patient's calendar, voids, visits, audit. */
describe('care-time ledger (CareTimeService against PostgreSQL)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let careTime: CareTimeService;
  let db: Database;
  let organization: string;
  let clinician: Principal;
  let coordinator: Principal;

  const newYorkPatient = async () => {
    const patient = await createPatient(database.pool, organization);
    await database.pool.query("UPDATE patients SET time_zone = 'America/New_York' WHERE id = $1", [patient]);
    return patient;
  };

  /** The New York month `at` falls in, so a test run just after midnight on the 1st asks for the right one. */
  const monthOf = (at: Date) => formatMonth(monthAt(at, 'America/New_York'));

  const auditActions = async (patientId: string) =>
    (
      await database.pool.query<{ action: string; outcome: string }>(
        'SELECT action, outcome FROM audit_events WHERE patient_id = $1 ORDER BY id',
        [patientId],
      )
    ).rows;

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'worker', imports: [CareModule] });
    database = integration.database;
    careTime = integration.moduleRef.get(CareTimeService);
    db = integration.moduleRef.get(Database);
    organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'clinician');
    clinician = { userId: user.id, organizationId: organization, role: 'clinician' };
    const other = await createUser(database.pool, organization, 'coordinator');
    coordinator = { userId: other.id, organizationId: organization, role: 'coordinator' };
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('records a call performed by the caller and lists it in its month with the totals', async () => {
    const patient = await newYorkPatient();
    const performedAt = new Date(Date.now() - 3600_000);
    const entry = await careTime.record(clinician, patient, {
      kind: 'call',
      seconds: 900,
      interactive: true,
      performedAt,
      note: '  Talked through the new cuff  ',
    });
    expect(entry).toMatchObject({
      kind: 'call',
      seconds: 900,
      interactive: true,
      performedBy: clinician.userId,
      note: 'Talked through the new cuff',
      voidedAt: null,
    });
    await careTime.record(coordinator, patient, {
      kind: 'review',
      seconds: 300,
      interactive: false,
      performedAt,
    });
    const month = await careTime.month(clinician, patient, monthOf(performedAt));
    expect(month.items.map((item) => item.seconds)).toEqual([900, 300]);
    expect(month).toMatchObject({ totalSeconds: 1200, interactiveSeconds: 900 });
    expect(await auditActions(patient)).toEqual(
      expect.arrayContaining([
        { action: 'care_time.record', outcome: 'allowed' },
        { action: 'care_time.read', outcome: 'allowed' },
      ]),
    );
  });

  it("counts an entry at 23:30 on a month's last day, patient's time, in that month", async () => {
    const patient = await newYorkPatient();
    const now = new Date();
    // 23:30 New York time on the last day of last month (within the year the ledger accepts).
    const lastMonth = { year: now.getUTCFullYear(), month: now.getUTCMonth() }; // 0-based: the previous month
    const lastDay = new Date(Date.UTC(lastMonth.year, lastMonth.month, 0));
    const label = `${lastDay.getUTCFullYear()}-${String(lastDay.getUTCMonth() + 1).padStart(2, '0')}`;
    const wall = Date.UTC(lastDay.getUTCFullYear(), lastDay.getUTCMonth(), lastDay.getUTCDate(), 23, 30);
    const offsetHours = (
      await database.pool.query<{ h: number }>(
        `SELECT extract(epoch FROM (($1::timestamp AT TIME ZONE 'America/New_York') - ($1::timestamp AT TIME ZONE 'UTC'))) / 3600 AS h`,
        [new Date(wall).toISOString().slice(0, 19)],
      )
    ).rows[0].h;
    const performedAt = new Date(wall + Number(offsetHours) * 3600_000);
    expect(performedAt.getUTCDate()).toBe(1); // already the next month in UTC
    await careTime.record(clinician, patient, {
      kind: 'other',
      seconds: 60,
      interactive: false,
      performedAt,
    });

    const inMonth = await careTime.month(clinician, patient, label);
    expect(inMonth.items).toHaveLength(1);
    expect(inMonth.totalSeconds).toBe(60);
    const next = `${performedAt.getUTCFullYear()}-${String(performedAt.getUTCMonth() + 1).padStart(2, '0')}`;
    expect((await careTime.month(clinician, patient, next)).items).toHaveLength(0);
  });

  it('lists a voided entry with its reason but leaves it out of the totals; a second void is already_voided', async () => {
    const patient = await newYorkPatient();
    const performedAt = new Date(Date.now() - 60_000);
    const kept = await careTime.record(clinician, patient, {
      kind: 'call',
      seconds: 120,
      interactive: true,
      performedAt,
    });
    const wrong = await careTime.record(clinician, patient, {
      kind: 'call',
      seconds: 600,
      interactive: true,
      performedAt,
    });
    const voided = await careTime.void(coordinator, patient, wrong.id, 'Logged twice');
    expect(voided).toMatchObject({ id: wrong.id, voidReason: 'Logged twice', voidedBy: coordinator.userId });
    expect(voided.voidedAt).toBeInstanceOf(Date);

    const month = await careTime.month(clinician, patient, monthOf(performedAt));
    expect(month.items.map((item) => [item.id, item.voidReason])).toEqual([
      [kept.id, null],
      [wrong.id, 'Logged twice'],
    ]);
    expect(month).toMatchObject({ totalSeconds: 120, interactiveSeconds: 120 });

    await expect(careTime.void(clinician, patient, wrong.id, 'Again')).rejects.toMatchObject({
      response: { code: 'already_voided' },
      status: 409,
    });
    await expect(careTime.void(clinician, patient, randomUUID(), 'No such entry')).rejects.toMatchObject({
      status: 404,
    });
    expect(await auditActions(patient)).toContainEqual({ action: 'care_time.void', outcome: 'allowed' });
  });

  it("answers another organisation's patient as not found, and audits the denial", async () => {
    const elsewhere = await createOrganization(database.pool);
    const patient = await createPatient(database.pool, elsewhere);
    const entry = { kind: 'call' as const, seconds: 60, interactive: true, performedAt: new Date() };
    await expect(careTime.month(clinician, patient, undefined)).rejects.toMatchObject({ status: 404 });
    await expect(careTime.record(clinician, patient, entry)).rejects.toMatchObject({ status: 404 });
    await expect(careTime.void(clinician, patient, randomUUID(), 'x')).rejects.toMatchObject({ status: 404 });
    const { rows } = await database.pool.query(
      'SELECT count(*)::int AS n FROM care_time_entries WHERE patient_id = $1',
      [patient],
    );
    expect(rows[0]).toEqual({ n: 0 });
    const denied = await database.pool.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied'",
      [patient],
    );
    expect(denied.rows[0]).toEqual({ n: 3 });
  });

  it('refuses a malformed month, a future time and seconds past a day with their reasons', async () => {
    const patient = await newYorkPatient();
    await expect(careTime.month(clinician, patient, '2026-3')).rejects.toMatchObject({
      status: 400,
      response: { code: 'care_time_month' },
    });
    await expect(
      careTime.record(clinician, patient, {
        kind: 'call',
        seconds: 86_401,
        interactive: true,
        performedAt: new Date(),
      }),
    ).rejects.toMatchObject({ status: 400, response: { code: 'care_time_seconds' } });
    await expect(
      careTime.record(clinician, patient, {
        kind: 'call',
        seconds: 60,
        interactive: true,
        performedAt: new Date(Date.now() + 3600_000),
      }),
    ).rejects.toMatchObject({ status: 400, response: { code: 'care_time_performed_at' } });
  });

  it('records a video visit once however often telehealth reports it, in the caller transaction', async () => {
    const patient = await newYorkPatient();
    const visitId = await createVisit(database.pool, organization, patient, clinician.userId);
    const visit = {
      organizationId: organization,
      patientId: patient,
      visitId,
      seconds: 1260,
      performedAt: new Date(Date.now() - 600_000),
      performedBy: clinician.userId,
    };
    await db.transaction((tx) => careTime.recordVisitTime(tx, visit));
    await db.transaction((tx) => careTime.recordVisitTime(tx, { ...visit, seconds: 999 }));
    const month = await careTime.month(clinician, patient, monthOf(visit.performedAt));
    expect(month.items).toHaveLength(1);
    expect(month.items[0]).toMatchObject({ kind: 'video_visit', interactive: true, seconds: 1260, visitId });
    expect(month).toMatchObject({ totalSeconds: 1260, interactiveSeconds: 1260 });

    // A rolled-back visit leaves nothing behind.
    const rolledBack = {
      ...visit,
      visitId: await createVisit(database.pool, organization, patient, clinician.userId),
    };
    await expect(
      db.transaction(async (tx) => {
        await careTime.recordVisitTime(tx, rolledBack);
        throw new Error('visit completion failed');
      }),
    ).rejects.toThrow('visit completion failed');
    expect((await careTime.month(clinician, patient, monthOf(visit.performedAt))).items).toHaveLength(1);
  });

  it("defaults to the current month of the patient's calendar", async () => {
    const patient = await newYorkPatient();
    const month = await careTime.month(clinician, patient, undefined);
    expect(month.month).toBe(monthOf(new Date()));
  });
});
