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
import { PROTOCOL_KEYS } from '../rules/protocols';

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
  const vital = (type: VitalType, value: number, unit: string) => ({ type, value, unit, hoursAgo: 0.1 });
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
    // 0.85 kg: under 2 lb (0.907 kg) even allowing one 0.01 kg storage step.
    await evaluation.evaluateBatch(await storeBatch(hf, [weight(80.85, 0)]), 'w4');
    expect(await alertsOf(hf.patient)).toEqual([]);

    const plain = await patientWith([]);
    await evaluation.evaluateBatch(await storeBatch(plain, [weight(80, 20)]), 'w5');
    await evaluation.evaluateBatch(await storeBatch(plain, [weight(83, 0)]), 'w6');
    expect(await alertsOf(plain.patient)).toEqual([]);
  });

  it("keeps the default rules of every group a patient's protocol does not define", async () => {
    const hf = await patientWith(['heart_failure']);
    const plain = await patientWith([]);
    // heart_failure watches weight and low pressure: high pressure keeps the defaults.
    await evaluation.evaluateBatch(await storeBatch(plain, [systolic(165)]), 'b1');
    await evaluation.evaluateBatch(await storeBatch(hf, [systolic(165)]), 'b2');
    expect(await alertsOf(plain.patient)).toEqual([
      { rule_id: 'default.bp.grade2', episode_key: 'bp.high', severity: 'warning' },
    ]);
    expect(await alertsOf(hf.patient)).toEqual([
      { rule_id: 'default.bp.grade2', episode_key: 'bp.high', severity: 'warning' },
    ]);

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

  /**
   * The safety net, through the worker's own evaluation: on every protocol (and none), a
   * critical value of every vital raises a critical alert of its group. SpO2 is 80 % so that it
   * is critical on scale 2 (<= 83 %, copd_hypercapnic) as on scale 1 (<= 91 %).
   */
  const CRITICAL_VALUES: Array<{
    name: string;
    group: string;
    readings: Array<ReturnType<typeof vital>>;
  }> = [
    {
      name: 'blood pressure 210/125',
      group: 'bp.high',
      readings: [systolic(210), vital('blood_pressure_diastolic', 125, 'mm[Hg]')],
    },
    {
      name: 'diastolic 125 alone',
      group: 'bp.high',
      readings: [vital('blood_pressure_diastolic', 125, 'mm[Hg]')],
    },
    {
      name: 'heart rate 150',
      group: 'hr.high',
      readings: [vital('heart_rate', 150, '/min')],
    },
    {
      name: 'heart rate 35',
      group: 'hr.low',
      readings: [vital('heart_rate', 35, '/min')],
    },
    {
      name: 'SpO2 80 %',
      group: 'spo2.low',
      readings: [vital('oxygen_saturation', 80, '%')],
    },
    {
      name: 'glucose 40 mg/dL',
      group: 'glucose.low',
      readings: [vital('blood_glucose', 40, 'mg/dL')],
    },
    {
      name: 'glucose 450 mg/dL',
      group: 'glucose.high',
      readings: [vital('blood_glucose', 450, 'mg/dL')],
    },
    {
      name: 'temperature 34.5 °C',
      group: 'temp.low',
      readings: [vital('body_temperature', 34.5, 'Cel')],
    },
  ];

  describe.each(
    [[], ...PROTOCOL_KEYS.map((key) => [key])].map((keys) => [keys.join('') || 'no protocol', keys]),
  )('a patient on %s', (_name, keys) => {
    it.each(CRITICAL_VALUES.map((value) => [value.name, value] as const))(
      '%s raises a critical alert',
      async (_value, { group, readings }) => {
        const who = await patientWith(keys);
        await evaluation.evaluateBatch(await storeBatch(who, readings), `critical-${group}`);
        const raised = (
          await database.pool.query<{ episode_key: string; severity: string; status: string }>(
            'SELECT episode_key, severity, status FROM alerts WHERE patient_id = $1',
            [who.patient],
          )
        ).rows;
        expect(raised).toEqual([
          expect.objectContaining({
            episode_key: group,
            severity: 'critical',
            // A crisis first asks for a re-measurement; every other critical opens at once.
            status: group === 'bp.high' ? 'pending_confirmation' : 'open',
          }),
        ]);
      },
    );
  });
});
