import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { AlertDto } from '@homeward/contracts';
import { NotificationsJobsModule } from '@homeward/notifications';
import { MonitoringJobsModule } from '@homeward/monitoring';
import { JobWorkersModule } from '@homeward/platform';
import {
  TEST_REDIS_URL,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createTestDatabase,
  createUser,
  deleteRedisKeys,
  waitFor,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { AlertingJobsModule } from '../alerting.module';
import { AlertEvaluationService } from '../alerts/alert-evaluation.service';
import { AlertPublisher } from '../alerts/alert-publisher';
import { PatientProtocolRepository } from '../protocols/patient-protocol.repository';
import { MissedCheckService } from './missed-check.service';

const HOUR = 3600_000;

interface AlertState {
  id: string;
  rule_id: string;
  rule_kind: string;
  episode_key: string;
  severity: string;
  status: string;
  occurrences: number;
  trigger_type: string | null;
  batch_id: string | null;
}

/** Seeds for both suites: a patient on protocols set long ago, with readings, as ingest leaves them. */
function fixtures(pool: () => TestDatabase['pool']) {
  const patientOn = async (organization: string, protocols: string[], setHoursAgo = 500) => {
    const patient = await createPatient(pool(), organization);
    const device = await createDevice(pool(), organization, patient);
    for (const key of protocols)
      await pool().query(
        `INSERT INTO patient_protocols (patient_id, protocol_key, organization_id, set_at)
         VALUES ($1, $2, $3, now() - make_interval(hours => $4))`,
        [patient, key, organization, setHoursAgo],
      );
    return { patient, device };
  };
  /** Stores one weighing `hoursAgo` in a batch of its own and returns the batch and its time. */
  const weigh = async (who: { patient: string; device: string }, hoursAgo: number) => {
    const batchId = randomUUID();
    const measuredAt = new Date(Date.now() - hoursAgo * HOUR);
    const messageId = `w-${randomBytes(4).toString('hex')}`;
    await pool().query(
      `INSERT INTO ingest_batches (id, ingest_client_id, correlation_id, stored_count, rejected_count)
       VALUES ($1::uuid, 'test', $1::text, 1, 0)`,
      [batchId],
    );
    await pool().query(
      `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                             source_value, source_unit, batch_id)
       VALUES ($1, $2, $3, $4, 'body_weight', '29463-7', 81.5, 'kg', 81.5, 'kg', $5)`,
      [measuredAt, who.patient, who.device, messageId, batchId],
    );
    return { batchId, measuredAt, messageId };
  };
  const alertsOf = async (patient: string) =>
    (
      await pool().query<AlertState>(
        `SELECT id, rule_id, rule_kind, episode_key, severity, status, occurrences, trigger_type, batch_id
         FROM alerts WHERE patient_id = $1 ORDER BY sequence`,
        [patient],
      )
    ).rows;
  return { patientOn, weigh, alertsOf };
}

/** `missed` rules: no reading of a type for N hours, raised by a per-organisation check. */
describe('missed-reading check (MissedCheckService against PostgreSQL and Redis)', () => {
  let integration: IntegrationModule;
  let check: MissedCheckService;
  let evaluation: AlertEvaluationService;
  let organization: string;
  let pushedCreated: jest.SpyInstance<Promise<void>, [AlertDto]>;
  let pushedUpdated: jest.SpyInstance<Promise<void>, Parameters<AlertPublisher['alertUpdated']>>;
  const created = () => pushedCreated.mock.calls.map(([alert]) => alert);
  const updated = () => pushedUpdated.mock.calls.map(([alert]) => alert);
  const { patientOn, weigh, alertsOf } = fixtures(() => integration.database.pool);

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'worker', imports: [AlertingJobsModule] });
    check = integration.moduleRef.get(MissedCheckService);
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    // Spies call through: the pushes still go out through Redis, and are recorded.
    const publisher = integration.moduleRef.get(AlertPublisher);
    pushedCreated = jest.spyOn(publisher, 'alertCreated');
    pushedUpdated = jest.spyOn(publisher, 'alertUpdated');
    organization = await createOrganization(integration.database.pool);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await integration?.close();
  });

  it('raises one missed alert, with no trigger, for a heart-failure patient whose last weight is 49 hours old', async () => {
    const hf = await patientOn(organization, ['heart_failure']);
    const last = await weigh(hf, 49);

    expect(await check.check(organization, 'check-1')).toEqual({ raised: 1 });

    expect(await alertsOf(hf.patient)).toEqual([
      expect.objectContaining({
        rule_id: 'heart_failure.weight.missed',
        rule_kind: 'missed',
        episode_key: 'weight.missed',
        severity: 'info',
        status: 'open',
        occurrences: 1,
        trigger_type: null,
        batch_id: null,
      }),
    ]);
    const pushed = created().find((alert) => alert.patientId === hf.patient);
    expect(pushed).toMatchObject({
      rule: { id: 'heart_failure.weight.missed', kind: 'missed', description: 'No body weight for 48 hours' },
      summary: 'No weight reading for 48 h',
      trigger: null,
      lastValue: null,
      lastMeasuredAt: last.measuredAt.toISOString(),
    });
  });

  it('raises nothing more on the next checks while that alert is open', async () => {
    const hf = await patientOn(organization, ['heart_failure']);
    await weigh(hf, 60);
    expect(await check.check(organization, 'check-2')).toEqual({ raised: 1 });
    expect(await check.check(organization, 'check-3')).toEqual({ raised: 0 });
    expect(await check.check(organization, 'check-4')).toEqual({ raised: 0 });
    expect(await alertsOf(hf.patient)).toEqual([expect.objectContaining({ status: 'open', occurrences: 1 })]);
  });

  it('resolves the missed alert as soon as a weight arrives, naming that weighing in its history', async () => {
    const hf = await patientOn(organization, ['heart_failure']);
    await weigh(hf, 49);
    await check.check(organization, 'check-5');
    const [missed] = await alertsOf(hf.patient);

    const arrived = await weigh(hf, 0.1);
    await evaluation.evaluateBatch(arrived.batchId, 'weighed');

    expect(await alertsOf(hf.patient)).toEqual([
      expect.objectContaining({ id: missed.id, status: 'resolved' }),
    ]);
    const { rows: history } = await integration.database.pool.query(
      `SELECT action, actor_user_id AS "actorUserId", from_status AS "fromStatus", to_status AS "toStatus", detail
       FROM alert_events WHERE alert_id = $1`,
      [missed.id],
    );
    expect(history).toEqual([
      {
        action: 'auto_resolve',
        actorUserId: null,
        fromStatus: 'open',
        toStatus: 'resolved',
        detail: { reading: expect.objectContaining({ type: 'body_weight', messageId: arrived.messageId }) },
      },
    ]);
    expect(
      updated()
        .filter((alert) => alert.id === missed.id)
        .map((alert) => alert.status),
    ).toEqual(['resolved']);
    // The weight just arrived: nothing is missing now.
    await check.check(organization, 'check-6');
    expect(await alertsOf(hf.patient)).toHaveLength(1);
  });

  it('raises nothing for a patient whose last weight is 47 hours old, nor for a patient without protocols', async () => {
    const recent = await patientOn(organization, ['heart_failure']);
    await weigh(recent, 47);
    const plain = await patientOn(organization, []);
    await weigh(plain, 200);
    await check.check(organization, 'check-7');
    expect(await alertsOf(recent.patient)).toEqual([]);
    expect(await alertsOf(plain.patient)).toEqual([]);
  });

  it('counts from when the protocol was set for a patient who never weighed, and does not raise that gap again once dismissed', async () => {
    const never = await patientOn(organization, ['heart_failure'], 49);
    await check.check(organization, 'check-8');
    const [missed] = await alertsOf(never.patient);
    expect(missed).toMatchObject({ rule_kind: 'missed', status: 'open' });
    expect(created().find((alert) => alert.id === missed.id)?.lastMeasuredAt).toBeNull();

    await integration.database.pool.query(
      "UPDATE alerts SET status = 'dismissed', closed_at = now() WHERE id = $1",
      [missed.id],
    );
    expect(await check.check(organization, 'check-9')).toEqual({ raised: 0 });
    expect(await alertsOf(never.patient)).toHaveLength(1);
  });

  it("keeps counting from when a protocol was first set when the patient's protocols are saved again", async () => {
    const never = await patientOn(organization, ['heart_failure'], 49);
    // Saved again with diabetes added (as an edit, or the demo seed at every start, does).
    const coordinator = await createUser(integration.database.pool, organization, 'coordinator');
    await integration.moduleRef
      .get(PatientProtocolRepository)
      .replace(
        { id: never.patient, organizationId: organization },
        ['diabetes', 'heart_failure'],
        coordinator.id,
        integration.database.pool,
      );
    await check.check(organization, 'check-12');
    // Heart failure has been monitored for 49 h: its weight is missed; diabetes only just started.
    expect((await alertsOf(never.patient)).map((alert) => alert.rule_id)).toEqual([
      'heart_failure.weight.missed',
    ]);
  });

  it("follows the patient's override of the missed rule, and records its version on the alert", async () => {
    const hf = await patientOn(organization, ['heart_failure']);
    await weigh(hf, 30);
    const clinician = await createUser(integration.database.pool, organization, 'clinician');
    await integration.database.pool.query(
      `INSERT INTO patient_rule_overrides (organization_id, patient_id, rule_id, version, definition, reason, created_by)
       VALUES ($1, $2, 'heart_failure.weight.missed', 1, $3, 'Daily weights are critical after discharge', $4)`,
      [
        organization,
        hf.patient,
        JSON.stringify({ kind: 'missed', type: 'body_weight', hours: 24, severity: 'warning' }),
        clinician.id,
      ],
    );
    await check.check(organization, 'check-13');
    const { rows } = await integration.database.pool.query<{ rule_version: number; severity: string }>(
      'SELECT rule_version, severity FROM alerts WHERE patient_id = $1',
      [hf.patient],
    );
    expect(rows).toEqual([{ rule_version: 1, severity: 'warning' }]);
  });

  it("checks one organisation only: another organisation's patients are left to their own check", async () => {
    const other = await createOrganization(integration.database.pool, 'Other Org');
    const elsewhere = await patientOn(other, ['heart_failure']);
    await weigh(elsewhere, 49);
    await check.check(organization, 'check-10');
    expect(await alertsOf(elsewhere.patient)).toEqual([]);
    expect(await check.check(other, 'check-11')).toEqual({ raised: 1 });
    expect(await alertsOf(elsewhere.patient)).toEqual([expect.objectContaining({ rule_kind: 'missed' })]);
  });
});

/** The check runs from BullMQ: one schedule per organisation, kept by the workers. */
describe('missed-reading check as BullMQ schedules (two worker replicas, real workers)', () => {
  let database: TestDatabase;
  const replicas: IntegrationModule[] = [];
  const prefix = `hwint-${randomBytes(4).toString('hex')}`;
  const connection = { url: TEST_REDIS_URL };
  let queue: Queue;
  let organizations: string[];
  const { patientOn, weigh, alertsOf } = fixtures(() => database.pool);

  const schedulerIds = async () => (await queue.getJobSchedulers(0, -1)).map((s) => s.key).sort();
  const idsOf = (orgs: string[]) => orgs.map((id) => `missed-check-${id}`).sort();

  beforeAll(async () => {
    database = await createTestDatabase();
    organizations = [await createOrganization(database.pool), await createOrganization(database.pool)];
    queue = new Queue('alerts.missed-check', { connection, prefix });
    for (let i = 0; i < 2; i++)
      replicas.push(
        await createIntegrationModule({
          role: 'worker',
          database,
          env: { REDIS_PREFIX: prefix, MISSED_CHECK_EVERY_MS: '300' },
          imports: [JobWorkersModule, MonitoringJobsModule, NotificationsJobsModule, AlertingJobsModule],
        }),
      );
  });

  afterAll(async () => {
    await queue?.close();
    await Promise.all(replicas.map((replica) => replica.close()));
    await database?.drop();
    await deleteRedisKeys(prefix);
  });

  it('keeps exactly one schedule per organisation however many workers start', async () => {
    expect(await schedulerIds()).toEqual(idsOf(organizations));
    expect((await queue.getJobSchedulers(0, -1)).map((s) => s.every)).toEqual([300, 300]);
  });

  it('raises a missed alert through a real worker running the scheduled job', async () => {
    const hf = await patientOn(organizations[0], ['heart_failure']);
    await weigh(hf, 49);
    const [alert] = await waitFor(
      async () => {
        const alerts = await alertsOf(hf.patient);
        return alerts.length > 0 && alerts;
      },
      { what: 'the scheduled check to raise the missed alert' },
    );
    expect(alert).toMatchObject({
      rule_id: 'heart_failure.weight.missed',
      trigger_type: null,
      status: 'open',
    });
  });

  it('schedules an organisation created after start-up, and drops the schedule of one deleted', async () => {
    const added = await createOrganization(database.pool);
    await waitFor(async () => (await schedulerIds()).includes(`missed-check-${added}`), {
      what: 'the new organisation scheduled',
    });
    await database.pool.query('DELETE FROM organizations WHERE id = $1', [added]);
    await waitFor(async () => !(await schedulerIds()).includes(`missed-check-${added}`), {
      what: "the deleted organisation's schedule removed",
    });
    expect(await schedulerIds()).toEqual(idsOf(organizations));
  });
});
