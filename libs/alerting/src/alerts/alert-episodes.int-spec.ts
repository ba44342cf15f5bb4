import {
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  storeReadingBatch,
  bloodPressure,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { AlertingJobsModule } from '../alerting.module';
import { AlertEvaluationService } from './alert-evaluation.service';

interface EpisodeRow {
  id: string;
  status: string;
  severity: string;
  rule_id: string;
  occurrences: number;
  last_value: number;
}

/** Episodes: one active alert per patient and rule group, to which later breaches attach. */
describe('alert episodes (AlertEvaluationService against PostgreSQL and Redis)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let evaluation: AlertEvaluationService;
  let organization: string;
  let patient: string;
  let device: string;
  let minute = 0;

  /** A stored batch with one blood-pressure measurement, as ingest leaves it. */
  const storeBatch = (
    systolic: number,
    diastolic = 80,
    who: { patient: string; device: string } = { patient, device },
  ): Promise<string> =>
    storeReadingBatch(
      database.pool,
      who,
      bloodPressure(systolic, diastolic, new Date(Date.UTC(2026, 10, 20, 8, minute++))),
    );

  const episodes = async (of = patient): Promise<EpisodeRow[]> =>
    (
      await database.pool.query<EpisodeRow>(
        `SELECT id, status, severity, rule_id, occurrences, last_value FROM alerts
         WHERE patient_id = $1 AND episode_key = 'bp.high' ORDER BY sequence`,
        [of],
      )
    ).rows;

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [AlertingJobsModule],
      env: { ALERT_ALL_CLEAR_READINGS: '2', ALERT_ALL_CLEAR_MIN_MINUTES: '1', ALERT_COOLDOWN_MINUTES: '60' },
    });
    database = integration.database;
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    organization = await createOrganization(database.pool);
    patient = await createPatient(database.pool, organization);
    device = await createDevice(database.pool, organization, patient);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('attaches later breaches to the open alert, keeps the latest value and takes the worse severity', async () => {
    expect(await evaluation.evaluateBatch(await storeBatch(165), 'c1')).toEqual({ raised: 1 });
    expect(await evaluation.evaluateBatch(await storeBatch(170), 'c2')).toEqual({ raised: 0 });
    expect(await episodes()).toEqual([
      expect.objectContaining({ status: 'open', severity: 'warning', occurrences: 2, last_value: 170 }),
    ]);

    const summary = async () =>
      (
        await database.pool.query<{ summary: string }>('SELECT summary FROM alerts WHERE patient_id = $1', [
          patient,
        ])
      ).rows[0].summary;
    // What fired, in words: the breach that set the episode's severity, not each one after it.
    expect(await summary()).toBe('Systolic 165 mmHg ≥ 160');

    const crisis = await storeBatch(186, 124);
    await evaluation.evaluateBatch(crisis, 'c3');
    expect(await summary()).toBe('Systolic 186 mmHg ≥ 180');
    expect(await episodes()).toEqual([
      expect.objectContaining({
        severity: 'critical',
        rule_id: 'default.bp.crisis',
        occurrences: 3,
        last_value: 186,
      }),
    ]);

    // A re-run of a batch (a retried or swept job) attaches nothing twice.
    await database.pool.query('UPDATE ingest_batches SET evaluated_at = NULL WHERE id = $1', [crisis]);
    await evaluation.evaluateBatch(crisis, 'c3');
    expect((await episodes())[0].occurrences).toBe(3);
  });

  it('brings a snoozed alert back to the queue when a worse breach attaches to it', async () => {
    const other = await createPatient(database.pool, organization);
    const who = { patient: other, device: await createDevice(database.pool, organization, other) };
    await evaluation.evaluateBatch(await storeBatch(165, 80, who), 's1');
    await database.pool.query(
      "UPDATE alerts SET snoozed_until = now() + interval '2 hours' WHERE patient_id = $1",
      [other],
    );
    await evaluation.evaluateBatch(await storeBatch(168, 80, who), 's2');
    const snoozed = await database.pool.query('SELECT snoozed_until FROM alerts WHERE patient_id = $1', [
      other,
    ]);
    expect(snoozed.rows[0].snoozed_until).not.toBeNull();
    await evaluation.evaluateBatch(await storeBatch(190, 125, who), 's3');
    const woken = await database.pool.query(
      'SELECT severity, snoozed_until FROM alerts WHERE patient_id = $1',
      [other],
    );
    expect(woken.rows).toEqual([{ severity: 'critical', snoozed_until: null }]);
  });

  it('opens a new episode once the previous one is closed', async () => {
    const [previous] = await episodes();
    await database.pool.query("UPDATE alerts SET status = 'resolved' WHERE id = $1", [previous.id]);
    expect(await evaluation.evaluateBatch(await storeBatch(162), 'c4')).toEqual({ raised: 1 });
    const all = await episodes();
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ status: 'open', severity: 'warning', occurrences: 1 });
  });

  it('keeps one episode when batches of one patient are evaluated at the same time', async () => {
    const [latest] = (await episodes()).slice(-1);
    await database.pool.query("UPDATE alerts SET status = 'resolved' WHERE id = $1", [latest.id]);
    const batches = await Promise.all([storeBatch(161), storeBatch(163), storeBatch(167), storeBatch(169)]);
    const results = await Promise.all(batches.map((batchId) => evaluation.evaluateBatch(batchId, batchId)));
    expect(results.reduce((sum, result) => sum + result.raised, 0)).toBe(1);
    const open = (await episodes()).filter((episode) => episode.status === 'open');
    expect(open).toEqual([expect.objectContaining({ occurrences: 4 })]);
  });

  it('resolves an alert after enough in-range readings (all clear), and a breach within the cool-down re-opens it', async () => {
    const other = await createPatient(database.pool, organization);
    const who = { patient: other, device: await createDevice(database.pool, organization, other) };
    await evaluation.evaluateBatch(await storeBatch(165, 80, who), 'a1');
    await evaluation.evaluateBatch(await storeBatch(128, 80, who), 'a2');
    expect(await episodes(other)).toEqual([expect.objectContaining({ status: 'open', occurrences: 1 })]);
    await evaluation.evaluateBatch(await storeBatch(131, 80, who), 'a3');
    const [resolved] = await episodes(other);
    expect(resolved.status).toBe('resolved');

    // Within the cool-down: the same alert comes back instead of a new one.
    expect(await evaluation.evaluateBatch(await storeBatch(170, 80, who), 'a4')).toEqual({ raised: 0 });
    expect(await episodes(other)).toEqual([
      expect.objectContaining({ id: resolved.id, status: 'open', occurrences: 2, last_value: 170 }),
    ]);
    const { rows } = await database.pool.query<{ action: string; actor_user_id: string | null }>(
      'SELECT action, actor_user_id FROM alert_events WHERE alert_id = $1 ORDER BY id',
      [resolved.id],
    );
    expect(rows).toEqual([
      { action: 'auto_resolve', actor_user_id: null },
      { action: 'reopen', actor_user_id: null },
    ]);
  });

  it('opens a new alert for a breach after the cool-down', async () => {
    const other = await createPatient(database.pool, organization);
    const who = { patient: other, device: await createDevice(database.pool, organization, other) };
    await evaluation.evaluateBatch(await storeBatch(165, 80, who), 'c1');
    const [first] = await episodes(other);
    await database.pool.query(
      "UPDATE alerts SET status = 'resolved', closed_at = now() - interval '61 minutes' WHERE id = $1",
      [first.id],
    );
    expect(await evaluation.evaluateBatch(await storeBatch(166, 80, who), 'c2')).toEqual({ raised: 1 });
    expect((await episodes(other)).map((episode) => episode.status)).toEqual(['resolved', 'open']);
  });
});
