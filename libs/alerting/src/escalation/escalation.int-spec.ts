import { Queue } from 'bullmq';
import { AppConfig } from '@homeward/config';
import type { NotificationDto } from '@homeward/contracts';
import { JobWorkersModule } from '@homeward/platform';
import { MonitoringJobsModule } from '@homeward/monitoring';
import {
  NOTIFICATION_TRANSPORTS,
  NotificationsJobsModule,
  type NotificationTransport,
} from '@homeward/notifications';
import {
  TEST_REDIS_URL,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  sleep,
  waitFor,
  type IntegrationModule,
  type TestDatabase,
  type TestUser,
  storeReadingBatch,
  bloodPressure,
} from '@homeward/testing';
import { AlertingJobsModule, AlertingModule } from '../alerting.module';
import { AlertEvaluationService } from '../alerts/alert-evaluation.service';
import { AlertService } from '../alerts/alert.service';
import { escalationJobId } from './escalation-plan';
import { EscalationService } from './escalation.service';

/** A socket transport that fails the first two attempts of every notification, then delivers. */
class FlakySocketTransport implements NotificationTransport {
  readonly channel = 'socket';
  readonly name = 'flaky-socket';
  readonly attempts = new Map<string, number>();
  readonly delivered: Array<{ notification: NotificationDto; userId: string }> = [];

  send(notification: NotificationDto, recipient: { userId: string }): Promise<void> {
    const attempt = (this.attempts.get(notification.id) ?? 0) + 1;
    this.attempts.set(notification.id, attempt);
    if (attempt <= 2) return Promise.reject(new Error(`socket down (attempt ${attempt})`));
    this.delivered.push({ notification, userId: recipient.userId });
    return Promise.resolve();
  }
}

interface EventRow {
  action: string;
  actor_user_id: string | null;
  from_status: string;
  to_status: string;
  detail: { step: number; to: string | null; notified: string[]; reason?: string };
}

describe('escalation and notifications (worker jobs against PostgreSQL and Redis)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let evaluation: AlertEvaluationService;
  let escalation: EscalationService;
  let alerts: AlertService;
  const socket = new FlakySocketTransport();
  let organization: string;
  let admin: TestUser;
  let clinician: TestUser;
  let coordinator: TestUser;
  let queue: Queue;

  /**
   * A critical blood-pressure reading for a new patient and the re-measurement that confirms it
   * (a crisis first waits as pending_confirmation), evaluated as the worker would: its alert id.
   */
  const raiseCritical = async (): Promise<string> => {
    const patient = await createPatient(database.pool, organization);
    const device = await createDevice(database.pool, organization, patient);
    for (const [systolic, diastolic] of [
      [192, 124],
      [190, 122],
    ]) {
      const batchId = await storeReadingBatch(
        database.pool,
        { patient, device },
        bloodPressure(systolic, diastolic),
      );
      await evaluation.evaluateBatch(batchId, batchId);
    }
    const { rows } = await database.pool.query<{ id: string }>(
      "SELECT id FROM alerts WHERE patient_id = $1 AND severity = 'critical'",
      [patient],
    );
    expect(rows).toHaveLength(1);
    return rows[0].id;
  };

  const setPolicy = (firstAfterSeconds: number, thenAfterSeconds: number) =>
    database.pool.query(
      `INSERT INTO escalation_policies (organization_id, first_after_seconds, then_after_seconds)
       VALUES ($1, $2, $3) ON CONFLICT (organization_id) DO UPDATE
       SET first_after_seconds = EXCLUDED.first_after_seconds, then_after_seconds = EXCLUDED.then_after_seconds`,
      [organization, firstAfterSeconds, thenAfterSeconds],
    );

  const escalations = async (alertId: string): Promise<EventRow[]> =>
    (
      await database.pool.query<EventRow>(
        `SELECT action, actor_user_id, from_status, to_status, detail FROM alert_events
         WHERE alert_id = $1 AND action = 'escalate' ORDER BY id`,
        [alertId],
      )
    ).rows;

  const alertState = async (alertId: string) =>
    (
      await database.pool.query<{ status: string; assigned_to: string | null }>(
        'SELECT status, assigned_to FROM alerts WHERE id = $1',
        [alertId],
      )
    ).rows[0];

  const pendingSteps = async (alertId: string) =>
    (
      await database.pool.query<{ step: number }>(
        "SELECT step FROM alert_escalations WHERE alert_id = $1 AND status = 'pending' ORDER BY step",
        [alertId],
      )
    ).rows.map((row) => row.step);

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [
        JobWorkersModule,
        MonitoringJobsModule,
        AlertingJobsModule,
        NotificationsJobsModule,
        AlertingModule,
      ],
      env: { ESCALATION_SWEEP_EVERY_MS: '300', NOTIFICATION_CHANNELS: 'socket' },
      overrides: [{ provide: NOTIFICATION_TRANSPORTS, useValue: [socket] }],
    });
    database = integration.database;
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    escalation = integration.moduleRef.get(EscalationService);
    alerts = integration.moduleRef.get(AlertService);
    organization = await createOrganization(database.pool);
    admin = await createUser(database.pool, organization, 'admin');
    clinician = await createUser(database.pool, organization, 'clinician');
    coordinator = await createUser(database.pool, organization, 'coordinator');
    await database.pool.query(
      `INSERT INTO on_call_shifts (organization_id, user_id, starts_at, ends_at)
       VALUES ($1, $2, now() - interval '1 hour', now() + interval '1 hour')`,
      [organization, clinician.id],
    );
    queue = new Queue('alerts.escalate', {
      connection: { url: TEST_REDIS_URL },
      prefix: integration.moduleRef.get(AppConfig).REDIS_PREFIX,
    });
  });

  afterAll(async () => {
    await queue?.close();
    await integration?.close();
  });

  it('escalates an unacknowledged critical alert to the on-call clinician, then to the admins, each step once', async () => {
    await setPolicy(1, 1);
    const alertId = await raiseCritical();
    expect(await pendingSteps(alertId)).toEqual([1, 2]);

    const steps = await waitFor(
      async () => ((await escalations(alertId)).length === 2 ? escalations(alertId) : undefined),
      {
        what: 'both escalation steps taken',
        timeoutMs: 15_000,
      },
    );
    expect(steps).toEqual([
      {
        action: 'escalate',
        actor_user_id: null,
        from_status: 'open',
        to_status: 'escalated',
        detail: { step: 1, to: clinician.id, notified: [clinician.id] },
      },
      {
        action: 'escalate',
        actor_user_id: null,
        from_status: 'escalated',
        to_status: 'escalated',
        detail: { step: 2, to: admin.id, notified: [admin.id] },
      },
    ]);
    expect(await alertState(alertId)).toEqual({ status: 'escalated', assigned_to: clinician.id });
    expect(await pendingSteps(alertId)).toEqual([]);

    // Each notification reaches its recipient after two failed attempts, every attempt recorded.
    await waitFor(() => socket.delivered.filter((d) => d.notification.alertId === alertId).length === 2, {
      what: 'both notifications delivered through the flaky transport',
      timeoutMs: 20_000,
    });
    const delivered = socket.delivered.filter((d) => d.notification.alertId === alertId);
    expect(delivered.map((d) => [d.userId, d.notification.payload.step])).toEqual([
      [clinician.id, 1],
      [admin.id, 2],
    ]);
    // Ids and the step only: nothing about the patient or the reading leaves the platform.
    expect(delivered[0].notification).toEqual({
      id: expect.any(String),
      kind: 'alert.escalated',
      alertId,
      payload: { step: 1, severity: 'critical' },
      createdAt: expect.any(String),
    });
    // The transport hands over before the attempt's row commits: wait for the commit.
    const outboxOf = async () =>
      (
        await database.pool.query<{ id: string; status: string; attempts: number }>(
          'SELECT id, status, attempts FROM notification_outbox WHERE alert_id = $1 ORDER BY created_at',
          [alertId],
        )
      ).rows;
    const outbox = await waitFor(
      async () => {
        const rows = await outboxOf();
        return rows.every((row) => row.status !== 'pending') ? rows : undefined;
      },
      { what: 'both outbox rows settled', timeoutMs: 10_000 },
    );
    expect(outbox.map((row) => [row.status, row.attempts])).toEqual([
      ['sent', 3],
      ['sent', 3],
    ]);
    const { rows: deliveries } = await database.pool.query<{
      attempt: number;
      outcome: string;
      error: string | null;
    }>('SELECT attempt, outcome, error FROM notification_deliveries WHERE notification_id = $1 ORDER BY id', [
      outbox[0].id,
    ]);
    expect(deliveries).toEqual([
      { attempt: 1, outcome: 'failed', error: 'socket down (attempt 1)' },
      { attempt: 2, outcome: 'failed', error: 'socket down (attempt 2)' },
      { attempt: 3, outcome: 'sent', error: null },
    ]);
  });

  it('takes a step once when its job runs several times at once', async () => {
    await setPolicy(3600, 3600);
    const alertId = await raiseCritical();
    await database.pool.query(
      'UPDATE alert_escalations SET due_at = now() WHERE alert_id = $1 AND step = 1',
      [alertId],
    );
    await Promise.all([1, 2, 3, 4].map(() => escalation.takeStep(alertId, 1, 'duplicate')));
    await escalation.takeStep(alertId, 1, 'duplicate-later');
    expect((await escalations(alertId)).map((event) => event.detail.step)).toEqual([1]);
    expect(await pendingSteps(alertId)).toEqual([2]);
    // A job that fires before its step is due (a stale one) takes nothing.
    await escalation.takeStep(alertId, 2, 'early');
    expect((await escalations(alertId)).map((event) => event.detail.step)).toEqual([1]);
  });

  it('stops escalating once someone acknowledges the alert, removing its pending jobs', async () => {
    // Five seconds: the acknowledgement must come before step 1 falls due, even on a loaded machine
    // (with two, CI once took longer to raise the alert and step 1 had already run).
    await setPolicy(5, 1);
    const alertId = await raiseCritical();
    expect(await queue.getJob(escalationJobId(alertId, 1))).toBeDefined();

    const acknowledged = await alerts.act(
      { userId: coordinator.id, organizationId: organization, role: 'coordinator' },
      alertId,
      { action: 'acknowledge' },
    );
    expect(acknowledged.status).toBe('acknowledged');
    expect(await pendingSteps(alertId)).toEqual([]);
    expect(await queue.getJob(escalationJobId(alertId, 1))).toBeUndefined();
    expect(await queue.getJob(escalationJobId(alertId, 2))).toBeUndefined();

    // Past both steps' due times and several sweeps: nothing happened.
    await sleep(6500);
    expect(await escalations(alertId)).toEqual([]);
    expect(await alertState(alertId)).toEqual({ status: 'acknowledged', assigned_to: coordinator.id });
  });

  it('re-checks the alert when a step falls due: one acknowledged meanwhile is left alone', async () => {
    await setPolicy(3600, 3600);
    const alertId = await raiseCritical();
    // Acknowledged by a path that did not cancel the steps (a crash right after its commit).
    await database.pool.query(
      "UPDATE alerts SET status = 'acknowledged', acknowledged_at = now() WHERE id = $1",
      [alertId],
    );
    await database.pool.query('UPDATE alert_escalations SET due_at = now() WHERE alert_id = $1', [alertId]);
    await escalation.takeStep(alertId, 2, 'stale');
    expect(await escalations(alertId)).toEqual([]);
    expect(await pendingSteps(alertId)).toEqual([]);
    expect((await alertState(alertId)).status).toBe('acknowledged');
  });

  it('escalates a critical alert whose planning was lost, and a step whose job was lost, through the sweep', async () => {
    await setPolicy(1, 3600);
    // Planned and then lost from Redis: the sweep re-enqueues it once due.
    const lostJob = await raiseCritical();
    expect(await queue.remove(escalationJobId(lostJob, 1))).toBe(1);
    // Committed, then the process died before planning: no steps at all.
    const lostPlan = await raiseCritical();
    await database.pool.query('DELETE FROM alert_escalations WHERE alert_id = $1', [lostPlan]);

    for (const alertId of [lostJob, lostPlan])
      await waitFor(async () => (await escalations(alertId)).length === 1, {
        what: 'step 1 taken after the sweep',
        timeoutMs: 15_000,
      });
    expect((await escalations(lostPlan))[0].detail).toEqual({
      step: 1,
      to: clinician.id,
      notified: [clinician.id],
    });
    expect(await pendingSteps(lostPlan)).toEqual([2]);
  });

  it('goes to the admins, and says so, when nobody is on call', async () => {
    await setPolicy(3600, 3600);
    await database.pool.query('DELETE FROM on_call_shifts WHERE organization_id = $1', [organization]);
    const alertId = await raiseCritical();
    await database.pool.query(
      'UPDATE alert_escalations SET due_at = now() WHERE alert_id = $1 AND step = 1',
      [alertId],
    );
    await escalation.takeStep(alertId, 1, 'nobody');
    expect((await escalations(alertId))[0].detail).toEqual({
      step: 1,
      to: admin.id,
      notified: [admin.id],
      reason: 'nobody_on_call',
    });
    expect((await alertState(alertId)).assigned_to).toBe(admin.id);
  });
});
