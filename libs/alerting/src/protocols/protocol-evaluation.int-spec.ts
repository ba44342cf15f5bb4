import {
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  type IntegrationModule,
  type TestDatabase,
  storeReadingBatch,
} from '@homeward/testing';
import type { VitalType } from '@homeward/contracts';
import { AlertingJobsModule } from '../alerting.module';
import { AlertEvaluationService } from '../alerts/alert-evaluation.service';

const HOUR = 3600_000;

/** Patients on protocols are evaluated by their protocols' rules, with their history; others by the defaults. */
describe('evaluation by protocol (AlertEvaluationService against PostgreSQL and Redis)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let evaluation: AlertEvaluationService;
  let organization: string;

  const patientWith = async (protocols: string[]) => {
    const patient = await createPatient(database.pool, organization);
    const device = await createDevice(database.pool, organization, patient);
    for (const key of protocols)
      await database.pool.query(
        'INSERT INTO patient_protocols (patient_id, protocol_key, organization_id) VALUES ($1, $2, $3)',
        [patient, key, organization],
      );
    return { patient, device };
  };

  /** Stores one batch of readings for a patient, as ingest leaves it. */
  const storeBatch = (
    who: { patient: string; device: string },
    readings: Array<{ type: VitalType; value: number; unit: string; hoursAgo: number }>,
  ): Promise<string> =>
    storeReadingBatch(
      database.pool,
      who,
      readings.map(({ hoursAgo, ...reading }) => ({
        ...reading,
        measuredAt: new Date(Date.now() - hoursAgo * HOUR),
      })),
    );
  const weight = (value: number, hoursAgo: number) => ({
    type: 'body_weight' as const,
    value,
    unit: 'kg',
    hoursAgo,
  });
  const systolic = (value: number) => ({
    type: 'blood_pressure_systolic' as const,
    value,
    unit: 'mm[Hg]',
    hoursAgo: 0.1,
  });
  const alertsOf = async (patient: string) =>
    (
      await database.pool.query<{ rule_id: string; episode_key: string; severity: string }>(
        'SELECT rule_id, episode_key, severity FROM alerts WHERE patient_id = $1 ORDER BY sequence',
        [patient],
      )
    ).rows;

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'worker', imports: [AlertingJobsModule] });
    database = integration.database;
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    organization = await createOrganization(database.pool);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('raises a heart-failure weight-gain alert from a new weight and the history before it', async () => {
    const hf = await patientWith(['heart_failure']);
    await evaluation.evaluateBatch(await storeBatch(hf, [weight(80, 20)]), 'w1');
    expect(await alertsOf(hf.patient)).toEqual([]);
    // 1.2 kg more than 20 hours ago: more than 0.9 kg in 24 h.
    await evaluation.evaluateBatch(await storeBatch(hf, [weight(81.2, 0)]), 'w2');
    expect(await alertsOf(hf.patient)).toEqual([
      { rule_id: 'heart_failure.weight.day', episode_key: 'weight.gain', severity: 'warning' },
    ]);
  });

  it('does not fire the weight rule below its amount, nor for a patient on the defaults', async () => {
    const hf = await patientWith(['heart_failure']);
    await evaluation.evaluateBatch(await storeBatch(hf, [weight(80, 20)]), 'w3');
    await evaluation.evaluateBatch(await storeBatch(hf, [weight(80.9, 0)]), 'w4');
    expect(await alertsOf(hf.patient)).toEqual([]);

    const plain = await patientWith([]);
    await evaluation.evaluateBatch(await storeBatch(plain, [weight(80, 20)]), 'w5');
    await evaluation.evaluateBatch(await storeBatch(plain, [weight(83, 0)]), 'w6');
    expect(await alertsOf(plain.patient)).toEqual([]);
  });

  it("evaluates a patient's blood pressure by the protocol's rules instead of the defaults", async () => {
    const hf = await patientWith(['heart_failure']);
    const plain = await patientWith([]);
    // Grade 2 hypertension for the defaults; heart_failure has no high-BP rule.
    await evaluation.evaluateBatch(await storeBatch(plain, [systolic(165)]), 'b1');
    await evaluation.evaluateBatch(await storeBatch(hf, [systolic(165)]), 'b2');
    expect(await alertsOf(plain.patient)).toEqual([
      { rule_id: 'default.bp.grade2', episode_key: 'bp.high', severity: 'warning' },
    ]);
    expect(await alertsOf(hf.patient)).toEqual([]);

    const hypertensive = await patientWith(['hypertension']);
    await evaluation.evaluateBatch(await storeBatch(hypertensive, [systolic(186)]), 'b3');
    // Crisis and grade 2 both fire on 186: one alert, the worse.
    expect(await alertsOf(hypertensive.patient)).toEqual([
      { rule_id: 'hypertension.bp.crisis', episode_key: 'bp.high', severity: 'critical' },
    ]);
  });

  it("applies each patient's protocol whatever patients the job named (ingest names them; the sweep names none)", async () => {
    const hf = await patientWith(['heart_failure']);
    const plain = await patientWith([]);
    await evaluation.evaluateBatch(await storeBatch(hf, [weight(80, 20)]), 'h1', [hf.patient]);
    // A hint that misses the batch's patient (and names another): the protocol still applies.
    await evaluation.evaluateBatch(await storeBatch(hf, [weight(81.2, 0)]), 'h2', [plain.patient]);
    expect(await alertsOf(hf.patient)).toEqual([
      { rule_id: 'heart_failure.weight.day', episode_key: 'weight.gain', severity: 'warning' },
    ]);
    // A hint naming a patient on a protocol does not lend that protocol to the batch's patient.
    await evaluation.evaluateBatch(await storeBatch(plain, [weight(80, 20)]), 'h3', [
      plain.patient,
      hf.patient,
    ]);
    await evaluation.evaluateBatch(await storeBatch(plain, [weight(83, 0)]), 'h4', [
      hf.patient,
      plain.patient,
    ]);
    expect(await alertsOf(plain.patient)).toEqual([]);
  });
});
