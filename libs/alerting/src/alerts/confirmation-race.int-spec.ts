import {
  bloodPressure,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  storeReadingBatch,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { AlertingJobsModule } from '../alerting.module';
import { AlertConfirmationService } from './alert-confirmation.service';
import { AlertEvaluationService } from './alert-evaluation.service';

const ROUNDS = 10;

/**
 * A re-measurement that arrived in time decides its alert even when the deadline passes before
 * its batch is evaluated (issue 18, item 10): after a worker restart the overdue `alerts.confirm`
 * job and the evaluation of the re-measurement's batch run at the same moment.
 */
describe('re-measurement stored before the deadline, evaluated after it (AlertConfirmationService against PostgreSQL)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let evaluation: AlertEvaluationService;
  let confirmation: AlertConfirmationService;
  let organization: string;
  let batch = 0;

  const newPatient = async () => {
    const patient = await createPatient(database.pool, organization);
    return { patient, device: await createDevice(database.pool, organization, patient) };
  };
  const storeBp = (
    who: { patient: string; device: string },
    systolic: number,
    diastolic: number,
    secondsAgo: number,
  ) =>
    storeReadingBatch(
      database.pool,
      who,
      bloodPressure(systolic, diastolic, new Date(Date.now() - secondsAgo * 1000)),
    );
  const crisisOf = async (patient: string) =>
    (
      await database.pool.query<{ id: string; status: string; confirmation: string | null }>(
        `SELECT id, status, confirmation FROM alerts WHERE patient_id = $1 AND rule_id = 'default.bp.crisis'`,
        [patient],
      )
    ).rows[0];

  /**
   * A pending crisis alert whose re-measurement (`systolic`/`diastolic`) is stored, not yet
   * evaluated, and whose deadline has just passed: the state a worker restart leaves.
   */
  const overdueWithStoredRemeasurement = async (systolic: number, diastolic: number) => {
    const who = await newPatient();
    await evaluation.evaluateBatch(await storeBp(who, 186, 95, 60), `race-${batch++}`);
    const pending = await crisisOf(who.patient);
    expect(pending).toMatchObject({ status: 'pending_confirmation' });
    const remeasured = await storeBp(who, systolic, diastolic, 10);
    // The deadline passes after the re-measurement was received.
    await database.pool.query('UPDATE alerts SET confirm_by = now() WHERE id = $1', [pending.id]);
    return { who, alertId: pending.id, remeasured };
  };

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [AlertingJobsModule],
      env: { ALERT_CONFIRM_WITHIN_SECONDS: '300' },
    });
    database = integration.database;
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    confirmation = integration.moduleRef.get(AlertConfirmationService);
    organization = await createOrganization(database.pool);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it.each([
    ['below crisis', 165, 90, 'resolved', 'not_confirmed'],
    ['a crisis again', 184, 98, 'open', 'confirmed'],
  ])(
    'the overdue job leaves the decision to the stored re-measurement (%s): still pending until its evaluation decides',
    async (_name, systolic, diastolic, status, outcome) => {
      const { who, alertId, remeasured } = await overdueWithStoredRemeasurement(systolic, diastolic);
      expect(await confirmation.confirmUnanswered(alertId, 'race-job')).toBeUndefined();
      expect(await confirmation.sweep()).toMatchObject({ confirmed: 0 });
      expect(await crisisOf(who.patient)).toMatchObject({
        status: 'pending_confirmation',
      });
      await evaluation.evaluateBatch(remeasured, `race-${batch++}`);
      expect(await crisisOf(who.patient)).toMatchObject({
        status,
        confirmation: outcome,
      });
    },
  );

  it("counts a re-measurement received within the deadline's millisecond as the evaluation does", async () => {
    const { who, alertId, remeasured } = await overdueWithStoredRemeasurement(184, 98);
    // PostgreSQL keeps microseconds, the deadline travels as milliseconds: .123900 after .123400.
    await database.pool.query(
      "UPDATE readings SET received_at = date_trunc('second', now()) - interval '1 second' + interval '123900 microseconds' WHERE batch_id = $1",
      [remeasured],
    );
    await database.pool.query(
      "UPDATE alerts SET confirm_by = date_trunc('second', now()) - interval '1 second' + interval '123400 microseconds' WHERE id = $1",
      [alertId],
    );
    expect(await confirmation.confirmUnanswered(alertId, 'race-job')).toBeUndefined();
    expect(await crisisOf(who.patient)).toMatchObject({ status: 'pending_confirmation' });
    await evaluation.evaluateBatch(remeasured, `race-${batch++}`);
    expect(await crisisOf(who.patient)).toMatchObject({ status: 'open', confirmation: 'confirmed' });
  });

  it('another batch evaluated after the deadline does not declare it unanswered while the re-measurement waits', async () => {
    const { who, remeasured } = await overdueWithStoredRemeasurement(165, 90);
    const weight = await storeReadingBatch(database.pool, who, [
      { type: 'body_weight', value: 80, measuredAt: new Date(Date.now() - 5000) },
    ]);
    await evaluation.evaluateBatch(weight, `race-${batch++}`);
    expect(await crisisOf(who.patient)).toMatchObject({ status: 'pending_confirmation' });
    await evaluation.evaluateBatch(remeasured, `race-${batch++}`);
    expect(await crisisOf(who.patient)).toMatchObject({ status: 'resolved', confirmation: 'not_confirmed' });
  });

  it(`the job and the evaluation at the same moment, ${ROUNDS} times: the outcome is always the reading's`, async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const crisis = round % 2 === 1;
      const { who, alertId, remeasured } = await overdueWithStoredRemeasurement(
        crisis ? 184 : 165,
        crisis ? 98 : 90,
      );
      await Promise.all([
        confirmation.confirmUnanswered(alertId, 'race-job'),
        evaluation.evaluateBatch(remeasured, `race-${batch++}`),
      ]);
      outcomes.push(`${crisis ? 'crisis' : 'below'}:${(await crisisOf(who.patient)).confirmation}`);
    }
    expect(outcomes).toEqual(
      Array.from({ length: ROUNDS }, (_, round) =>
        round % 2 === 1 ? 'crisis:confirmed' : 'below:not_confirmed',
      ),
    );
  });

  it('a re-measurement whose batch is never evaluated holds the alert only until the cap: then it opens as unanswered', async () => {
    const { alertId } = await overdueWithStoredRemeasurement(165, 90);
    // As if the deadline and the re-measurement were an hour ago and its evaluation never came.
    await database.pool.query(
      `UPDATE readings SET received_at = received_at - interval '1 hour'
       WHERE patient_id = (SELECT patient_id FROM alerts WHERE id = $1)`,
      [alertId],
    );
    await database.pool.query("UPDATE alerts SET confirm_by = confirm_by - interval '1 hour' WHERE id = $1", [
      alertId,
    ]);
    expect(await confirmation.confirmUnanswered(alertId, 'race-job')).toMatchObject({
      status: 'open',
      confirmation: 'unanswered',
    });
  });
});
