import {
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createTestDatabase,
  waitFor,
  sleep,
  type IntegrationModule,
  type TestDatabase,
  storeReadingBatch,
  bloodPressure,
  alertHistory,
  deviceCommands,
} from '@homeward/testing';
import { MonitoringJobsModule } from '@homeward/monitoring';
import { NotificationsJobsModule } from '@homeward/notifications';
import { JobWorkersModule } from '@homeward/platform';
import { AlertingJobsModule } from '../alerting.module';
import { AlertConfirmationService } from './alert-confirmation.service';
import { AlertEvaluationService } from './alert-evaluation.service';

interface AlertState {
  id: string;
  status: string;
  severity: string;
  rule_id: string;
  occurrences: number;
  confirmation: string | null;
}

/** The hypertensive-crisis re-measure flow against PostgreSQL and Redis. */
describe('re-measure flow (AlertEvaluationService and AlertConfirmationService against PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  /** No job workers: deadlines are 5 minutes away and the tests decide every alert themselves. */
  let direct: IntegrationModule;
  /** Job workers and a 1-second deadline: the delayed job runs. */
  let withJobs: IntegrationModule;
  let organization: string;

  const newPatient = async () => {
    const patient = await createPatient(database.pool, organization);
    return { patient, device: await createDevice(database.pool, organization, patient) };
  };

  /** A stored batch with one blood-pressure measurement taken `secondsAgo`, as ingest leaves it. */
  const storeBatch = (
    who: { patient: string; device: string },
    systolic: number,
    diastolic: number,
    secondsAgo: number,
  ): Promise<string> =>
    storeReadingBatch(
      database.pool,
      who,
      bloodPressure(systolic, diastolic, new Date(Date.now() - secondsAgo * 1000)),
    );

  const alertsOf = async (patient: string): Promise<AlertState[]> =>
    (
      await database.pool.query<AlertState>(
        `SELECT id, status, severity, rule_id, occurrences, confirmation FROM alerts
         WHERE patient_id = $1 ORDER BY sequence`,
        [patient],
      )
    ).rows;

  const historyOf = (alertId: string) => alertHistory(database.pool, alertId);

  const commandsFor = (device: string) => deviceCommands(database.pool, device);

  /** Escalation steps planned for an alert: its escalation clock is running. */
  const escalationSteps = async (alertId: string) =>
    (await database.pool.query('SELECT step FROM alert_escalations WHERE alert_id = $1', [alertId])).rowCount;

  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createIntegrationModule({
      role: 'worker',
      database,
      imports: [AlertingJobsModule],
      env: { ALERT_CONFIRM_WITHIN_SECONDS: '300' },
    });
    withJobs = await createIntegrationModule({
      role: 'worker',
      database,
      imports: [JobWorkersModule, MonitoringJobsModule, AlertingJobsModule, NotificationsJobsModule],
      // Its own sweep stays out of the way of the test that runs one by hand.
      env: { ALERT_CONFIRM_WITHIN_SECONDS: '1', EVALUATION_SWEEP_EVERY_MS: '3600000' },
    });
    organization = await createOrganization(database.pool);
  });

  afterAll(async () => {
    await withJobs?.close();
    await direct?.close();
    await database?.drop();
  });

  it('holds a crisis reading as pending_confirmation and records a remeasure command for its device', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    expect(await evaluation.evaluateBatch(await storeBatch(who, 186, 95, 30), 'c1')).toEqual({ raised: 1 });
    const [alert] = await alertsOf(who.patient);
    expect(alert).toMatchObject({
      status: 'pending_confirmation',
      severity: 'critical',
      confirmation: 'pending',
    });
    const commands = await commandsFor(who.device);
    expect(commands).toEqual([
      {
        alert_id: alert.id,
        command: 'remeasure',
        payload: {
          commandId: expect.any(String),
          command: 'remeasure',
          types: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
          reason: 'confirm_reading',
          expiresAt: expect.any(String),
        },
      },
    ]);
    // No health data in the command: the value that triggered it stays on the platform.
    expect(JSON.stringify(commands[0].payload)).not.toContain('186');
    // Nobody is escalated to about a reading that may be an artefact.
    expect(await escalationSteps(alert.id)).toBe(0);
  });

  it('opens the alert as critical when the re-measurement breaches again, with the reading in its history', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    await evaluation.evaluateBatch(await storeBatch(who, 190, 100, 60), 'c2');
    expect(await evaluation.evaluateBatch(await storeBatch(who, 184, 98, 10), 'c3')).toEqual({ raised: 0 });
    const [alert, ...others] = await alertsOf(who.patient);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      status: 'open',
      severity: 'critical',
      confirmation: 'confirmed',
      occurrences: 2,
    });
    // Confirmed: its escalation clock starts now.
    expect(await escalationSteps(alert.id)).toBe(2);
    expect(await historyOf(alert.id)).toEqual([
      {
        action: 'confirm',
        from_status: 'pending_confirmation',
        to_status: 'open',
        detail: {
          reason: 'confirmed',
          reading: expect.objectContaining({
            values: expect.arrayContaining([{ type: 'blood_pressure_systolic', value: 184, unit: 'mm[Hg]' }]),
          }),
        },
      },
    ]);
  });

  it('resolves the alert as not confirmed when the re-measurement is below crisis level, and still raises the grade 2 warning', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    await evaluation.evaluateBatch(await storeBatch(who, 182, 90, 60), 'c4');
    expect(await evaluation.evaluateBatch(await storeBatch(who, 165, 90, 10), 'c5')).toEqual({ raised: 1 });
    const [crisis, warning] = await alertsOf(who.patient);
    expect(crisis).toMatchObject({ status: 'resolved', confirmation: 'not_confirmed', occurrences: 1 });
    expect(await historyOf(crisis.id)).toEqual([
      expect.objectContaining({
        action: 'not_confirmed',
        from_status: 'pending_confirmation',
        to_status: 'resolved',
        detail: expect.objectContaining({ reason: 'not_confirmed' }),
      }),
    ]);
    // A new warning alert, not the unconfirmed crisis re-opened within the cool-down.
    expect(warning).toMatchObject({ status: 'open', severity: 'warning', rule_id: 'default.bp.grade2' });
  });

  it('resolves the alert when the re-measurement is normal, and opens nothing else', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    await evaluation.evaluateBatch(await storeBatch(who, 181, 90, 60), 'c6');
    await evaluation.evaluateBatch(await storeBatch(who, 132, 84, 10), 'c7');
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ status: 'resolved', confirmation: 'not_confirmed' }),
    ]);
  });

  it('opens a late crisis reading at once, without asking for a re-measurement', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    await evaluation.evaluateBatch(await storeBatch(who, 195, 125, 3 * 3600), 'c8');
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ status: 'open', severity: 'critical', confirmation: null }),
    ]);
    expect(await commandsFor(who.device)).toEqual([]);
  });

  it('opens the alert when no re-measurement arrives before the deadline (the delayed job)', async () => {
    const who = await newPatient();
    const evaluation = withJobs.moduleRef.get(AlertEvaluationService);
    await evaluation.evaluateBatch(await storeBatch(who, 188, 96, 30), 'c9');
    expect((await alertsOf(who.patient))[0].status).toBe('pending_confirmation');
    const alert = await waitFor(async () => (await alertsOf(who.patient)).find((a) => a.status === 'open'), {
      what: 'the confirm job to open the alert',
      timeoutMs: 15_000,
    });
    expect(alert).toMatchObject({ severity: 'critical', confirmation: 'unanswered' });
    // Escalation is planned just after the opening commits (a sweep backs it up): wait for it.
    await waitFor(async () => (await escalationSteps(alert.id)) === 2, {
      what: 'both escalation steps planned',
      timeoutMs: 5000,
    });
    expect(await historyOf(alert.id)).toEqual([
      {
        action: 'confirm',
        from_status: 'pending_confirmation',
        to_status: 'open',
        detail: { reason: 'no_remeasurement' },
      },
    ]);
  });

  it('the delayed job, and its re-checks, leave the alert pending while a re-measurement received in time awaits evaluation', async () => {
    const who = await newPatient();
    const evaluation = withJobs.moduleRef.get(AlertEvaluationService);
    await evaluation.evaluateBatch(await storeBatch(who, 188, 96, 30), 'c16');
    const remeasured = await storeBatch(who, 150, 90, 5);
    // Past the 1-second deadline: the job ran at least once and re-checked after a second.
    await sleep(3000);
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ status: 'pending_confirmation', confirmation: 'pending' }),
    ]);
    await evaluation.evaluateBatch(remeasured, 'c17');
    expect((await alertsOf(who.patient))[0]).toMatchObject({
      status: 'resolved',
      confirmation: 'not_confirmed',
    });
  });

  it('does nothing twice when the confirm job runs again, and nothing once a re-measurement decided', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    const confirmation = direct.moduleRef.get(AlertConfirmationService);
    await evaluation.evaluateBatch(await storeBatch(who, 183, 90, 60), 'c10');
    const [pending] = await alertsOf(who.patient);
    expect(await confirmation.confirmUnanswered(pending.id, 'c10')).toMatchObject({ status: 'open' });
    expect(await confirmation.confirmUnanswered(pending.id, 'c10')).toBeUndefined();
    expect(await historyOf(pending.id)).toHaveLength(1);

    const other = await newPatient();
    await evaluation.evaluateBatch(await storeBatch(other, 200, 110, 60), 'c11');
    await evaluation.evaluateBatch(await storeBatch(other, 140, 85, 10), 'c12');
    const [decided] = await alertsOf(other.patient);
    expect(await confirmation.confirmUnanswered(decided.id, 'c11')).toBeUndefined();
    expect(await alertsOf(other.patient)).toEqual([expect.objectContaining({ status: 'resolved' })]);
  });

  it('opens overdue pending alerts whose job was lost (the sweep)', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    await evaluation.evaluateBatch(await storeBatch(who, 187, 90, 60), 'c13');
    const [pending] = await alertsOf(who.patient);
    // As if the deadline passed while the job was lost with Redis.
    await database.pool.query("UPDATE alerts SET confirm_by = now() - interval '1 second' WHERE id = $1", [
      pending.id,
    ]);
    const swept = await direct.moduleRef.get(AlertConfirmationService).sweep();
    expect(swept).toMatchObject({ confirmed: 1 });
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ status: 'open', confirmation: 'unanswered' }),
    ]);
  });

  it('asks again when a crisis re-opens a closed alert within the cool-down', async () => {
    const who = await newPatient();
    const evaluation = direct.moduleRef.get(AlertEvaluationService);
    const confirmation = direct.moduleRef.get(AlertConfirmationService);
    await evaluation.evaluateBatch(await storeBatch(who, 185, 90, 120), 'c14');
    const [first] = await alertsOf(who.patient);
    await confirmation.confirmUnanswered(first.id, 'c14');
    await database.pool.query("UPDATE alerts SET status = 'resolved', closed_at = now() WHERE id = $1", [
      first.id,
    ]);

    await evaluation.evaluateBatch(await storeBatch(who, 191, 100, 10), 'c15');
    expect(await alertsOf(who.patient)).toEqual([
      expect.objectContaining({ id: first.id, status: 'pending_confirmation', confirmation: 'pending' }),
    ]);
    expect((await historyOf(first.id)).map((event) => [event.action, event.to_status])).toEqual([
      ['confirm', 'open'],
      ['reopen', 'pending_confirmation'],
    ]);
    expect(await commandsFor(who.device)).toHaveLength(2);
  });
});
