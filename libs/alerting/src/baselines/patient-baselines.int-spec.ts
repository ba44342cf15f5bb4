import { Module } from '@nestjs/common';
import type { VitalType } from '@homeward/contracts';
import type { Principal } from '@homeward/access';
import { VitalsModule } from '@homeward/monitoring';
import { LimitsModule } from '@homeward/platform';
import {
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  storeReadingBatch,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { AlertingJobsModule, AlertingModule } from '../alerting.module';
import { AlertEvaluationService } from '../alerts/alert-evaluation.service';
import { RulePreviewService } from '../rule-preview/rule-preview.service';
import { PROTOCOLS } from '../rules/protocols';
import { PatientBaselineService } from './patient-baseline.service';

const HOUR = 3600_000;
const DRY_WEIGHT_RULE = PROTOCOLS.flatMap((protocol) => protocol.rules).find(
  (rule) => rule.id === 'heart_failure.weight.dry',
)!;

/** The preview as the API composes it, without the HTTP layer. */
@Module({ imports: [AlertingModule, VitalsModule, LimitsModule], providers: [RulePreviewService] })
class PreviewModule {}

/** A patient's dry weight: versions, audit, who may decide it, and the dry-weight rule it lets fire. */
describe('patient baselines (PatientBaselineService, evaluation and preview against PostgreSQL and Redis)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let baselines: PatientBaselineService;
  let evaluation: AlertEvaluationService;
  let preview: RulePreviewService;
  let organization: string;
  let clinician: Principal;

  const heartFailurePatient = async () => {
    const patient = await createPatient(database.pool, organization);
    const device = await createDevice(database.pool, organization, patient);
    await database.pool.query(
      'INSERT INTO patient_protocols (patient_id, protocol_key, organization_id) VALUES ($1, $2, $3)',
      [patient, 'heart_failure', organization],
    );
    return { patient, device };
  };

  /** Stores and evaluates one daily weighing, as ingest and the worker leave it. */
  const weigh = async (who: { patient: string; device: string }, kg: number, hoursAgo: number) => {
    const type: VitalType = 'body_weight';
    const batch = await storeReadingBatch(database.pool, who, [
      { type, value: kg, measuredAt: new Date(Date.now() - hoursAgo * HOUR) },
    ]);
    await evaluation.evaluateBatch(batch, `weigh-${kg}-${hoursAgo}`);
  };

  const dryWeightAlerts = async (patient: string) =>
    (
      await database.pool.query<{ rule_id: string; severity: string; summary: string }>(
        "SELECT rule_id, severity, summary FROM alerts WHERE patient_id = $1 AND episode_key = 'weight.dry'",
        [patient],
      )
    ).rows;

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [AlertingModule, AlertingJobsModule, PreviewModule],
    });
    database = integration.database;
    baselines = integration.moduleRef.get(PatientBaselineService);
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    preview = integration.moduleRef.get(RulePreviewService);
    organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'clinician');
    clinician = { userId: user.id, organizationId: organization, role: 'clinician' };
  });

  afterAll(async () => {
    await integration?.close();
  });

  describe('the dry-weight rule through the real evaluation', () => {
    it('raises one warning when the patient weighs 2.5 kg over an 80 kg dry weight twice in a row', async () => {
      const hf = await heartFailurePatient();
      await baselines.set(clinician, hf.patient, { dryWeightKg: 80 });
      await weigh(hf, 82.5, 24);
      expect(await dryWeightAlerts(hf.patient)).toEqual([]);
      await weigh(hf, 82.5, 0.1);
      expect(await dryWeightAlerts(hf.patient)).toEqual([
        {
          rule_id: 'heart_failure.weight.dry',
          severity: 'warning',
          summary: 'Weight 82.5 kg: weight up 2 kg or more from dry weight, 2 times in a row',
        },
      ]);
    });

    it('raises nothing on a single weighing over the dry weight', async () => {
      const hf = await heartFailurePatient();
      await baselines.set(clinician, hf.patient, { dryWeightKg: 80 });
      await weigh(hf, 80.2, 24);
      await weigh(hf, 82.5, 0.1);
      expect(await dryWeightAlerts(hf.patient)).toEqual([]);
    });

    it('raises nothing at 1.5 kg over the dry weight, however often', async () => {
      const hf = await heartFailurePatient();
      await baselines.set(clinician, hf.patient, { dryWeightKg: 80 });
      await weigh(hf, 81.5, 24);
      await weigh(hf, 81.5, 0.1);
      expect(await dryWeightAlerts(hf.patient)).toEqual([]);
    });

    it('raises nothing, and evaluates the rest, for a patient without a dry weight', async () => {
      const hf = await heartFailurePatient();
      await weigh(hf, 82.5, 24);
      await weigh(hf, 82.5, 0.1);
      expect(await dryWeightAlerts(hf.patient)).toEqual([]);
      const batch = await storeReadingBatch(database.pool, hf, [
        { type: 'blood_pressure_systolic', value: 85, measuredAt: new Date() },
      ]);
      await evaluation.evaluateBatch(batch, 'bp-low');
      const { rows } = await database.pool.query<{ rule_id: string }>(
        'SELECT rule_id FROM alerts WHERE patient_id = $1',
        [hf.patient],
      );
      expect(rows.map((row) => row.rule_id)).toContain('heart_failure.bp.low');
    });

    it('stops comparing once the dry weight is cleared', async () => {
      const hf = await heartFailurePatient();
      await baselines.set(clinician, hf.patient, { dryWeightKg: 80 });
      await baselines.set(clinician, hf.patient, { dryWeightKg: null, note: 'Re-assessing after admission' });
      await weigh(hf, 82.5, 24);
      await weigh(hf, 82.5, 0.1);
      expect(await dryWeightAlerts(hf.patient)).toEqual([]);
    });
  });

  describe('setting and reading', () => {
    it('versions every change, names who decided it and audits each change and read', async () => {
      const hf = await heartFailurePatient();
      expect(await baselines.get(clinician, hf.patient)).toMatchObject({
        dryWeightKg: null,
        version: 0,
        versions: [],
      });
      const colleague = await createUser(database.pool, organization, 'clinician');
      await baselines.set(clinician, hf.patient, { dryWeightKg: 80, note: 'Euvolaemic at discharge' });
      const now = await baselines.set(clinician, hf.patient, { dryWeightKg: 78.25, setBy: colleague.id });
      expect(now).toMatchObject({
        dryWeightKg: 78.25,
        setBy: colleague.id,
        setByName: 'Test clinician',
        note: null,
        version: 2,
        createdBy: clinician.userId,
      });
      const read = await baselines.get(clinician, hf.patient);
      expect(read.versions.map((v) => [v.version, v.dryWeightKg, v.setBy, v.note])).toEqual([
        [2, 78.25, colleague.id, null],
        [1, 80, clinician.userId, 'Euvolaemic at discharge'],
      ]);
      const audit = await database.pool.query<{ action: string; resource_id: string }>(
        "SELECT action, resource_id FROM audit_events WHERE patient_id = $1 AND action LIKE 'patient.baselines.%' ORDER BY id",
        [hf.patient],
      );
      expect(audit.rows).toEqual([
        { action: 'patient.baselines.read', resource_id: hf.patient },
        { action: 'patient.baselines.set', resource_id: hf.patient },
        { action: 'patient.baselines.set', resource_id: hf.patient },
        { action: 'patient.baselines.read', resource_id: hf.patient },
      ]);
    });

    it('gives changes made at once consecutive versions', async () => {
      const hf = await heartFailurePatient();
      await Promise.all(
        [70, 71, 72, 73].map((kg) => baselines.set(clinician, hf.patient, { dryWeightKg: kg })),
      );
      const { versions } = await baselines.get(clinician, hf.patient);
      expect(versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    });

    it('refuses a setBy who is not a clinician of the organisation', async () => {
      const hf = await heartFailurePatient();
      const coordinator = await createUser(database.pool, organization, 'coordinator');
      const elsewhere = await createUser(database.pool, await createOrganization(database.pool), 'clinician');
      for (const setBy of [coordinator.id, elsewhere.id])
        await expect(baselines.set(clinician, hf.patient, { dryWeightKg: 80, setBy })).rejects.toMatchObject({
          response: { statusCode: 400, code: 'baseline_set_by' },
        });
      expect((await baselines.get(clinician, hf.patient)).versions).toEqual([]);
    });

    it.each([0.4, 500.5, 80.123, Number.NaN, Number.POSITIVE_INFINITY])(
      'refuses a dry weight of %p kg',
      async (dryWeightKg) => {
        const hf = await heartFailurePatient();
        await expect(baselines.set(clinician, hf.patient, { dryWeightKg })).rejects.toMatchObject({
          response: { statusCode: 400, code: 'baseline_dry_weight' },
        });
      },
    );

    it('refuses a note over 500 characters', async () => {
      const hf = await heartFailurePatient();
      await expect(
        baselines.set(clinician, hf.patient, { dryWeightKg: 80, note: 'x'.repeat(501) }),
      ).rejects.toMatchObject({ response: { statusCode: 400, code: 'baseline_note' } });
    });

    it("answers 404 for another organisation's patient and records nothing", async () => {
      const hf = await heartFailurePatient();
      const otherOrganization = await createOrganization(database.pool);
      const other = await createUser(database.pool, otherOrganization, 'clinician');
      const outsider: Principal = { userId: other.id, organizationId: otherOrganization, role: 'clinician' };
      await expect(baselines.set(outsider, hf.patient, { dryWeightKg: 80 })).rejects.toMatchObject({
        status: 404,
      });
      await expect(baselines.get(outsider, hf.patient)).rejects.toMatchObject({ status: 404 });
      expect((await baselines.get(clinician, hf.patient)).versions).toEqual([]);
    });
  });

  describe('the preview', () => {
    it("counts the dry-weight rule's breaches for a patient with a dry weight, and none without", async () => {
      const withDryWeight = await heartFailurePatient();
      const without = await heartFailurePatient();
      await baselines.set(clinician, withDryWeight.patient, { dryWeightKg: 80 });
      for (const who of [withDryWeight, without])
        for (const hoursAgo of [48, 24])
          await storeReadingBatch(database.pool, who, [
            { type: 'body_weight', value: 82.5, measuredAt: new Date(Date.now() - hoursAgo * HOUR) },
          ]);
      const answer = await preview.preview(clinician, {
        rule: DRY_WEIGHT_RULE.definition,
        patientIds: [withDryWeight.patient, without.patient],
        days: 7,
      });
      const of = (result: typeof answer.current, patient: string) =>
        result.byPatient.find((row) => row.patientId === patient);
      // The second weighing over the dry weight confirms the first: one breach, one alert.
      expect(of(answer, withDryWeight.patient)).toMatchObject({ breaches: 1, alerts: 1 });
      expect(of(answer.current, withDryWeight.patient)).toMatchObject({ breaches: 1, alerts: 1 });
      expect(of(answer, without.patient)).toMatchObject({ breaches: 0, alerts: 0 });
      expect(of(answer.current, without.patient)).toMatchObject({ breaches: 0, alerts: 0 });
    });
  });
});
