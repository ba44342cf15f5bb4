import {
  bloodPressure,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createTestDatabase,
  storeReadingBatch,
  type IntegrationModule,
  type TestDatabase,
  alertHistory,
  deviceCommands,
} from '@homeward/testing';
import { AlertingJobsModule } from '../alerting.module';
import { AlertConfirmationService } from './alert-confirmation.service';
import { AlertEvaluationService } from './alert-evaluation.service';

interface AlertState {
  id: string;
  status: string;
  severity: string;
  rule_id: string;
  summary: string;
  late: boolean;
  confirmation: string | null;
}

/** Readings the device flagged unreliable wait for a re-measurement, against PostgreSQL and Redis. */
describe('flagged readings (AlertEvaluationService re-measure flow against PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  /** No job workers: deadlines are 5 minutes away and the tests decide every alert themselves. */
  let app: IntegrationModule;
  let organization: string;

  const newPatient = async () => {
    const patient = await createPatient(database.pool, organization);
    return { patient, device: await createDevice(database.pool, organization, patient) };
  };

  /** A stored batch with one blood-pressure measurement taken `secondsAgo`, carrying `flags` as ingest stores them. */
  const storeBatch = async (
    who: { patient: string; device: string },
    systolic: number,
    diastolic: number,
    secondsAgo: number,
    flags: string[] = [],
  ): Promise<string> => {
    const batchId = await storeReadingBatch(
      database.pool,
      who,
      bloodPressure(systolic, diastolic, new Date(Date.now() - secondsAgo * 1000)),
    );
    if (flags.length > 0)
      await database.pool.query('UPDATE readings SET flags = $2 WHERE batch_id = $1', [batchId, flags]);
    return batchId;
  };

  const evaluate = (batchId: string, correlationId: string) =>
    app.moduleRef.get(AlertEvaluationService).evaluateBatch(batchId, correlationId);

  const alertsOf = async (patient: string): Promise<AlertState[]> =>
    (
      await database.pool.query<AlertState>(
        `SELECT id, status, severity, rule_id, summary, late, confirmation FROM alerts
         WHERE patient_id = $1 ORDER BY sequence`,
        [patient],
      )
    ).rows;

  const historyOf = (alertId: string) => alertHistory(database.pool, alertId);

  const commandsFor = (device: string) => deviceCommands(database.pool, device);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createIntegrationModule({
      role: 'worker',
      database,
      imports: [AlertingJobsModule],
      env: { ALERT_CONFIRM_WITHIN_SECONDS: '300' },
    });
    organization = await createOrganization(database.pool);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('holds a grade 2 blood pressure the cuff flagged as pending, asks the device, and says why', async () => {
    const who = await newPatient();
    expect(
      await evaluate(await storeBatch(who, 166, 92, 30, ['body_movement', 'irregular_pulse']), 'f1'),
    ).toEqual({
      raised: 1,
    });
    const [alert] = await alertsOf(who.patient);
    expect(alert).toMatchObject({
      status: 'pending_confirmation',
      severity: 'warning',
      rule_id: 'default.bp.grade2',
      confirmation: 'pending',
      summary: expect.stringMatching(/device flagged body_movement, irregular_pulse$/),
    });
    expect(await commandsFor(who.device)).toEqual([
      {
        alert_id: alert.id,
        command: 'remeasure',
        payload: expect.objectContaining({
          command: 'remeasure',
          types: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
        }),
      },
    ]);
    expect(await historyOf(alert.id)).toEqual([
      {
        action: 'hold',
        from_status: 'pending_confirmation',
        to_status: 'pending_confirmation',
        detail: {
          reason: 'unreliable_measurement',
          flags: ['body_movement'],
          types: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
        },
      },
    ]);
  });

  it('opens the held alert when a clean re-measurement breaches again', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 168, 95, 60, ['cuff_too_loose']), 'f2');
    expect(await evaluate(await storeBatch(who, 163, 94, 10), 'f3')).toEqual({ raised: 0 });
    const [alert, ...others] = await alertsOf(who.patient);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', severity: 'warning', confirmation: 'confirmed' });
    expect((await historyOf(alert.id)).map((event) => [event.action, event.to_status])).toEqual([
      ['hold', 'pending_confirmation'],
      ['confirm', 'open'],
    ]);
  });

  it('resolves the held alert when a clean re-measurement is in range', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 170, 96, 60, ['improper_position']), 'f4');
    expect(await evaluate(await storeBatch(who, 132, 84, 10), 'f5')).toEqual({ raised: 0 });
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ status: 'resolved', confirmation: 'not_confirmed' }),
    ]);
  });

  it('keeps waiting on a flagged re-measurement in range, then opens the alert when the deadline passes', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 172, 98, 60, ['body_movement']), 'f6');
    await evaluate(await storeBatch(who, 128, 80, 10, ['body_movement']), 'f7');
    const [pending] = await alertsOf(who.patient);
    expect(pending).toMatchObject({ status: 'pending_confirmation', confirmation: 'pending' });
    // As if the deadline passed: unanswered by a reliable reading, the breach is treated as real.
    await database.pool.query("UPDATE alerts SET confirm_by = now() - interval '1 second' WHERE id = $1", [
      pending.id,
    ]);
    await app.moduleRef.get(AlertConfirmationService).sweep();
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ id: pending.id, status: 'open', confirmation: 'unanswered' }),
    ]);
  });

  it('confirms a held alert with a flagged re-measurement that breaches again', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 165, 90, 60, ['body_movement']), 'f8');
    await evaluate(await storeBatch(who, 167, 91, 10, ['body_movement']), 'f9');
    const [alert, ...others] = await alertsOf(who.patient);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ status: 'open', confirmation: 'confirmed' });
    expect((await historyOf(alert.id))[1]).toMatchObject({
      action: 'confirm',
      detail: { reason: 'confirmed', reading: { flags: ['body_movement'] } },
    });
  });

  it('holds a flagged crisis reading too, saying it was flagged', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 190, 100, 30, ['cuff_too_loose']), 'f10');
    const [alert] = await alertsOf(who.patient);
    expect(alert).toMatchObject({ status: 'pending_confirmation', severity: 'critical' });
    expect(await historyOf(alert.id)).toEqual([
      expect.objectContaining({
        action: 'hold',
        detail: expect.objectContaining({ flags: ['cuff_too_loose'] }),
      }),
    ]);
  });

  it('opens an unflagged grade 2 blood pressure at once, as before', async () => {
    const who = await newPatient();
    expect(await evaluate(await storeBatch(who, 166, 92, 30), 'f11')).toEqual({ raised: 1 });
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ status: 'open', severity: 'warning', confirmation: null }),
    ]);
    expect((await alertsOf(who.patient))[0].summary).not.toMatch(/flagged/);
    expect(await commandsFor(who.device)).toEqual([]);
  });

  it('opens an irregular-pulse reading at once: a possible arrhythmia is not held back', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 166, 92, 30, ['irregular_pulse']), 'f12');
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({
        status: 'open',
        confirmation: null,
        summary: expect.stringMatching(/device flagged irregular_pulse$/),
      }),
    ]);
    expect(await commandsFor(who.device)).toEqual([]);
  });

  it('opens a late flagged reading at once (it cannot be re-measured) and says it was flagged', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 166, 92, 3 * 3600, ['body_movement']), 'f13');
    const [alert] = await alertsOf(who.patient);
    expect(alert).toMatchObject({
      status: 'open',
      late: true,
      confirmation: null,
      summary: expect.stringMatching(/device flagged body_movement$/),
    });
    expect(await commandsFor(who.device)).toEqual([]);
    expect(await historyOf(alert.id)).toEqual([]);
  });

  it('counts no flagged reading in range toward the all clear of an open alert', async () => {
    const who = await newPatient();
    await evaluate(await storeBatch(who, 166, 92, 300), 'f14');
    for (const [i, secondsAgo] of [240, 180, 120].entries())
      await evaluate(await storeBatch(who, 125, 80, secondsAgo, ['cuff_too_loose']), `f15-${i}`);
    expect(await alertsOf(who.patient)).toEqual([expect.objectContaining({ status: 'open' })]);
  });
});
