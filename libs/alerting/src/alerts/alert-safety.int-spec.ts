import type { VitalType } from '@homeward/contracts';
import type { Principal } from '@homeward/access';
import {
  alertHistory,
  bloodPressure,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  deviceCommands,
  storeReadingBatch,
  type IntegrationModule,
  type StoredReading,
  type TestDatabase,
} from '@homeward/testing';
import { AlertingJobsModule, AlertingModule } from '../alerting.module';
import { AlertEvaluationService } from './alert-evaluation.service';
import { AlertService } from './alert.service';

interface AlertState {
  id: string;
  status: string;
  severity: string;
  rule_id: string;
  confirmation: string | null;
  clear_since: Date | null;
}

const MINUTE = 60_000;

/**
 * What keeps a patient in danger from going unseen (issue 18, items 2 and 3): a worse breach
 * puts an acknowledged episode back in the queue and starts its escalation; an unacknowledged
 * critical episode never closes itself; the all clear needs time as well as readings.
 */
describe('alert safety (AlertEvaluationService and AlertService against PostgreSQL and Redis)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let evaluation: AlertEvaluationService;
  let alerts: AlertService;
  let organization: string;
  let coordinator: Principal;
  /**
   * Measurement times move forward from here, so spans are under the test's control. They run
   * ahead of the clock as the suite goes on: a reading from hours ago would be late, and late
   * readings are never asked to be re-measured.
   */
  let clock = Date.now() - 5 * MINUTE;

  const newPatient = async () => {
    const patient = await createPatient(database.pool, organization);
    return { patient, device: await createDevice(database.pool, organization, patient) };
  };
  const at = (minutesLater: number) => new Date((clock += minutesLater * MINUTE));
  const vital = (type: VitalType, value: number, minutesLater = 1): StoredReading[] => [
    { type, value, measuredAt: at(minutesLater) },
  ];
  const bp = (systolic: number, diastolic: number, minutesLater = 1) =>
    bloodPressure(systolic, diastolic, at(minutesLater));
  let batch = 0;
  const evaluate = async (who: { patient: string; device: string }, readings: StoredReading[]) =>
    evaluation.evaluateBatch(await storeReadingBatch(database.pool, who, readings), `safety-${batch++}`);

  const alertOf = async (patient: string): Promise<AlertState> => {
    const { rows } = await database.pool.query<AlertState>(
      `SELECT id, status, severity, rule_id, confirmation, clear_since FROM alerts WHERE patient_id = $1`,
      [patient],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  const pendingSteps = async (alertId: string) =>
    (
      await database.pool.query<{ step: number }>(
        "SELECT step FROM alert_escalations WHERE alert_id = $1 AND status = 'pending' ORDER BY step",
        [alertId],
      )
    ).rows.map((row) => row.step);
  const acknowledge = (alertId: string) => alerts.act(coordinator, alertId, { action: 'acknowledge' });

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [AlertingJobsModule, AlertingModule],
      env: { ALERT_ALL_CLEAR_READINGS: '3', ALERT_ALL_CLEAR_MIN_MINUTES: '60' },
    });
    database = integration.database;
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    alerts = integration.moduleRef.get(AlertService);
    organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'coordinator');
    coordinator = { userId: user.id, organizationId: organization, role: 'coordinator' };
  });

  afterAll(async () => {
    await integration?.close();
  });

  describe('an acknowledged warning that turns critical is worked like a new critical alert', () => {
    it.each<[string, StoredReading[][]]>([
      ['level 1 hypoglycaemia, then glucose 40', [vital('blood_glucose', 65), vital('blood_glucose', 40)]],
      ['SpO2 93 %, then 85 %', [vital('oxygen_saturation', 93), vital('oxygen_saturation', 85)]],
      ['heart rate 115, then 150', [vital('heart_rate', 115), vital('heart_rate', 150)]],
    ])(
      '%s: back to open, severity_raised in its history, escalation planned',
      async (_name, [first, worse]) => {
        const who = await newPatient();
        await evaluate(who, first);
        const warning = await alertOf(who.patient);
        expect(warning).toMatchObject({ status: 'open', severity: 'warning' });
        await acknowledge(warning.id);
        expect(await pendingSteps(warning.id)).toEqual([]);

        await evaluate(who, worse);
        expect(await alertOf(who.patient)).toMatchObject({
          id: warning.id,
          status: 'open',
          severity: 'critical',
        });
        expect(
          (await alertHistory(database.pool, warning.id)).map((e) => [e.action, e.from_status, e.to_status]),
        ).toEqual([
          ['acknowledge', 'open', 'acknowledged'],
          ['severity_raised', 'acknowledged', 'open'],
        ]);
        expect(await pendingSteps(warning.id)).toEqual([1, 2]);
      },
    );

    it('a snoozed warning that turns critical is back in the queue, unsnoozed', async () => {
      const who = await newPatient();
      await evaluate(who, vital('blood_glucose', 65));
      const warning = await alertOf(who.patient);
      await alerts.act(coordinator, warning.id, {
        action: 'snooze',
        until: new Date(Date.now() + 3600_000),
      });
      await evaluate(who, vital('blood_glucose', 40));
      const { rows } = await database.pool.query<{
        status: string;
        severity: string;
        snoozed_until: Date | null;
      }>('SELECT status, severity, snoozed_until FROM alerts WHERE id = $1', [warning.id]);
      expect(rows[0]).toEqual({ status: 'open', severity: 'critical', snoozed_until: null });
      expect(await pendingSteps(warning.id)).toEqual([1, 2]);
    });

    it('an acknowledged grade 2 followed by 200/125 asks to re-measure first; a calmer re-measurement puts it back as it was', async () => {
      const who = await newPatient();
      await evaluate(who, bp(165, 95));
      const warning = await alertOf(who.patient);
      await acknowledge(warning.id);

      await evaluate(who, bp(200, 125));
      expect(await alertOf(who.patient)).toMatchObject({
        status: 'pending_confirmation',
        severity: 'critical',
        rule_id: 'default.bp.crisis',
        confirmation: 'pending',
      });
      expect(await deviceCommands(database.pool, who.device)).toEqual([
        expect.objectContaining({ alert_id: warning.id, command: 'remeasure' }),
      ]);

      // Re-measured at 168/96: not a crisis, still grade 2. The episode is the acknowledged warning again.
      await evaluate(who, bp(168, 96));
      expect(await alertOf(who.patient)).toMatchObject({
        status: 'acknowledged',
        severity: 'warning',
        rule_id: 'default.bp.grade2',
        confirmation: 'not_confirmed',
      });
      expect((await alertHistory(database.pool, warning.id)).map((e) => e.action)).toEqual([
        'acknowledge',
        'severity_raised',
        'not_confirmed',
      ]);
    });

    it('an acknowledged grade 2 followed by 200/125, confirmed by the re-measurement, opens as critical and escalates', async () => {
      const who = await newPatient();
      await evaluate(who, bp(165, 95));
      const warning = await alertOf(who.patient);
      await acknowledge(warning.id);
      await evaluate(who, bp(200, 125));
      await evaluate(who, bp(198, 124));
      expect(await alertOf(who.patient)).toMatchObject({
        status: 'open',
        severity: 'critical',
        confirmation: 'confirmed',
      });
      expect(await pendingSteps(warning.id)).toEqual([1, 2]);
    });
  });

  describe('the all clear', () => {
    it('never resolves an unacknowledged critical alert: back_in_range once, and it stays open', async () => {
      const who = await newPatient();
      await evaluate(who, vital('heart_rate', 150));
      const critical = await alertOf(who.patient);
      // Three normal readings in one batch, then more over two hours.
      await evaluate(who, [
        ...vital('heart_rate', 80),
        ...vital('heart_rate', 78),
        ...vital('heart_rate', 76),
      ]);
      await evaluate(who, vital('heart_rate', 75, 60));
      await evaluate(who, vital('heart_rate', 74, 60));
      const after = await alertOf(who.patient);
      expect(after).toMatchObject({ status: 'open', severity: 'critical' });
      expect(after.clear_since).not.toBeNull();
      expect((await alertHistory(database.pool, critical.id)).map((e) => e.action)).toEqual([
        'back_in_range',
      ]);
      expect(await pendingSteps(critical.id)).toEqual([1, 2]);
    });

    it('resolves an acknowledged critical alert once the in-range readings span the minimum', async () => {
      const who = await newPatient();
      await evaluate(who, vital('heart_rate', 150));
      const critical = await alertOf(who.patient);
      await acknowledge(critical.id);
      await evaluate(who, [
        ...vital('heart_rate', 80),
        ...vital('heart_rate', 78),
        ...vital('heart_rate', 76),
      ]);
      expect(await alertOf(who.patient)).toMatchObject({ status: 'acknowledged' });
      await evaluate(who, vital('heart_rate', 75, 58));
      expect(await alertOf(who.patient)).toMatchObject({ status: 'resolved' });
    });

    it('needs the readings to span ALERT_ALL_CLEAR_MIN_MINUTES: three in one sitting do not resolve a warning', async () => {
      const who = await newPatient();
      await evaluate(who, bp(165, 95));
      const warning = await alertOf(who.patient);
      await evaluate(who, [...bp(130, 80), ...bp(128, 80, 2), ...bp(126, 78, 2)]);
      expect(await alertOf(who.patient)).toMatchObject({ id: warning.id, status: 'open' });
      // A breach starts the count again: the readings before it no longer count.
      await evaluate(who, bp(166, 90, 30));
      await evaluate(who, bp(125, 80, 40));
      await evaluate(who, bp(125, 80, 10));
      expect(await alertOf(who.patient)).toMatchObject({ status: 'open' });
      await evaluate(who, bp(124, 79, 50));
      expect(await alertOf(who.patient)).toMatchObject({ status: 'resolved' });
    });
  });
});
