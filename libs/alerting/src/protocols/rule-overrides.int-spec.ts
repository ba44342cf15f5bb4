import type { Principal } from '@homeward/access';
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
import { ProtocolService } from './protocol.service';
import { RuleOverrideService } from './rule-override.service';

const SYSTOLIC_170 = {
  kind: 'threshold',
  type: 'blood_pressure_systolic',
  operator: '>=',
  value: 170,
  severity: 'warning',
};

/** Per-patient overrides: versions, expiry, audit, and the version recorded on the alerts they raise. */
describe('rule overrides (RuleOverrideService and evaluation against PostgreSQL and Redis)', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let overrides: RuleOverrideService;
  let protocols: ProtocolService;
  let evaluation: AlertEvaluationService;
  let organization: string;
  let clinician: Principal;

  const storeSystolic = (who: { patient: string; device: string }, systolic: number): Promise<string> =>
    storeReadingBatch(database.pool, who, [
      { type: 'blood_pressure_systolic', value: systolic, measuredAt: new Date() },
    ]);

  const patientWithDevice = async () => {
    const patient = await createPatient(database.pool, organization);
    return { patient, device: await createDevice(database.pool, organization, patient) };
  };

  const alertsOf = async (patient: string) =>
    (
      await database.pool.query<{
        rule_id: string;
        rule_version: number;
        severity: string;
        occurrences: number;
      }>(
        'SELECT rule_id, rule_version, severity, occurrences FROM alerts WHERE patient_id = $1 ORDER BY sequence',
        [patient],
      )
    ).rows;

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [AlertingModule, AlertingJobsModule],
    });
    database = integration.database;
    overrides = integration.moduleRef.get(RuleOverrideService);
    protocols = integration.moduleRef.get(ProtocolService);
    evaluation = integration.moduleRef.get(AlertEvaluationService);
    organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'clinician');
    clinician = { userId: user.id, organizationId: organization, role: 'clinician' };
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('versions every change, shows the override in the effective rules and audits each change', async () => {
    const { patient } = await patientWithDevice();
    const first = await overrides.set(clinician, patient, 'default.bp.grade2', {
      definition: SYSTOLIC_170,
      reason: 'Baseline systolic 165 on three agents',
    });
    expect(first).toMatchObject({
      id: 'default.bp.grade2',
      group: 'bp.high',
      version: 1,
      description: 'Systolic ≥ 170 mmHg',
      override: { reason: 'Baseline systolic 165 on three agents', ownerId: clinician.userId },
    });
    await overrides.set(clinician, patient, 'default.bp.grade2', {
      definition: { ...SYSTOLIC_170, value: 175 },
      reason: 'Cardiology agreed 175',
    });
    const ended = await overrides.end(clinician, patient, 'default.bp.grade2', 'Medication changed');
    expect(ended).toMatchObject({ version: 0, override: null });

    const versions = await overrides.versions(clinician, patient, 'default.bp.grade2');
    expect(versions.map((v) => [v.version, v.reason, v.definition === null])).toEqual([
      [3, 'Medication changed', true],
      [2, 'Cardiology agreed 175', false],
      [1, 'Baseline systolic 165 on three agents', false],
    ]);
    const audit = await database.pool.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE patient_id = $1 AND action LIKE 'patient.rule_override.%' ORDER BY id",
      [patient],
    );
    expect(audit.rows.map((row) => row.action)).toEqual([
      'patient.rule_override.set',
      'patient.rule_override.set',
      'patient.rule_override.end',
      'patient.rule_override.read',
    ]);
  });

  it('gives two changes at once consecutive versions', async () => {
    const { patient } = await patientWithDevice();
    await Promise.all(
      [171, 172, 173, 174].map((value) =>
        overrides.set(clinician, patient, 'default.bp.grade2', {
          definition: { ...SYSTOLIC_170, value },
          reason: `set ${value}`,
        }),
      ),
    );
    const versions = await overrides.versions(clinician, patient, 'default.bp.grade2');
    expect(versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
  });

  it('evaluates by the override in force and records its version on the alert and its readings', async () => {
    const who = await patientWithDevice();
    await overrides.set(clinician, who.patient, 'default.bp.grade2', {
      definition: SYSTOLIC_170,
      reason: 'Baseline systolic 165',
    });
    await overrides.set(clinician, who.patient, 'default.bp.grade2', {
      definition: { ...SYSTOLIC_170, value: 168 },
      reason: 'Tighter after review',
    });
    // 165 breaches the published rule (>= 160) but not the patient's (>= 168).
    await evaluation.evaluateBatch(await storeSystolic(who, 165), 'o1');
    expect(await alertsOf(who.patient)).toEqual([]);
    await evaluation.evaluateBatch(await storeSystolic(who, 169), 'o2');
    expect(await alertsOf(who.patient)).toEqual([
      { rule_id: 'default.bp.grade2', rule_version: 2, severity: 'warning', occurrences: 1 },
    ]);
    const occurrences = await database.pool.query(
      'SELECT rule_id, rule_version FROM alert_occurrences WHERE patient_id = $1',
      [who.patient],
    );
    expect(occurrences.rows).toEqual([{ rule_id: 'default.bp.grade2', rule_version: 2 }]);
    // The published crisis rule still applies beside the override.
    await evaluation.evaluateBatch(await storeSystolic(who, 185), 'o3');
    expect(await alertsOf(who.patient)).toEqual([
      { rule_id: 'default.bp.crisis', rule_version: 0, severity: 'critical', occurrences: 2 },
    ]);
  });

  it('falls back to the published rule once the override expires', async () => {
    const who = await patientWithDevice();
    await overrides.set(clinician, who.patient, 'default.bp.grade2', {
      definition: SYSTOLIC_170,
      reason: 'For the holidays',
      expiresAt: new Date(Date.now() + 3600_000),
    });
    expect((await protocols.rulesForPatient(clinician, who.patient)).rules).toContainEqual(
      expect.objectContaining({ id: 'default.bp.grade2', version: 1 }),
    );
    await database.pool.query(
      "UPDATE patient_rule_overrides SET expires_at = now() - interval '1 minute' WHERE patient_id = $1",
      [who.patient],
    );
    expect((await protocols.rulesForPatient(clinician, who.patient)).rules).toContainEqual(
      expect.objectContaining({ id: 'default.bp.grade2', version: 0, override: null }),
    );
    await evaluation.evaluateBatch(await storeSystolic(who, 165), 'e1');
    expect(await alertsOf(who.patient)).toEqual([
      { rule_id: 'default.bp.grade2', rule_version: 0, severity: 'warning', occurrences: 1 },
    ]);
  });

  it('refuses overrides that cannot stand in for the rule, with the reason', async () => {
    const { patient } = await patientWithDevice();
    const set = (ruleId: string, definition: unknown, extra: { ownerId?: string; expiresAt?: Date } = {}) =>
      overrides.set(clinician, patient, ruleId, { definition, reason: 'test', ...extra });
    await expect(set('hypertension.bp.grade2', SYSTOLIC_170)).rejects.toMatchObject({
      response: { code: 'rule_not_found' },
    });
    await expect(set('default.bp.grade2', { ...SYSTOLIC_170, operator: '=>' })).rejects.toMatchObject({
      response: { code: 'invalid_rule' },
    });
    await expect(
      set('default.bp.grade2', { ...SYSTOLIC_170, type: 'body_weight', value: 90 }),
    ).rejects.toMatchObject({ response: { code: 'rule_override_types' } });
    await expect(
      set('default.bp.grade2', {
        kind: 'missed',
        type: 'blood_pressure_systolic',
        hours: 24,
        severity: 'info',
      }),
    ).rejects.toMatchObject({ response: { code: 'rule_override_kind' } });
    await expect(
      set('default.bp.grade2', SYSTOLIC_170, { expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toMatchObject({ response: { code: 'rule_override_expiry' } });
    const stranger = await createUser(database.pool, await createOrganization(database.pool), 'clinician');
    await expect(set('default.bp.grade2', SYSTOLIC_170, { ownerId: stranger.id })).rejects.toMatchObject({
      response: { code: 'rule_override_owner' },
    });
    await expect(overrides.end(clinician, patient, 'default.bp.grade2', 'none')).rejects.toMatchObject({
      response: { code: 'rule_override_not_found' },
    });
    expect(await overrides.versions(clinician, patient, 'default.bp.grade2')).toEqual([]);
  });

  it("an override's owner is a clinician of the organisation: a coordinator is refused, an admin names a clinician", async () => {
    const { patient } = await patientWithDevice();
    const coordinator = await createUser(database.pool, organization, 'coordinator');
    const adminUser = await createUser(database.pool, organization, 'admin');
    const admin: Principal = { userId: adminUser.id, organizationId: organization, role: 'admin' };
    const change = (ownerId?: string) => ({ definition: SYSTOLIC_170, reason: 'baseline 165', ownerId });
    for (const ownerId of [coordinator.id, adminUser.id])
      await expect(
        overrides.set(clinician, patient, 'default.bp.grade2', change(ownerId)),
      ).rejects.toMatchObject({
        response: { code: 'rule_override_owner', message: expect.stringContaining('clinician') },
      });
    // An admin may set overrides, but is not the clinician answerable for one: the owner is named.
    await expect(overrides.set(admin, patient, 'default.bp.grade2', change())).rejects.toMatchObject({
      response: { code: 'rule_override_owner', message: expect.stringContaining('clinician') },
    });
    expect(await overrides.versions(clinician, patient, 'default.bp.grade2')).toEqual([]);
    await overrides.set(admin, patient, 'default.bp.grade2', change(clinician.userId));
    await overrides.set(clinician, patient, 'default.bp.grade2', change());
    expect((await overrides.versions(clinician, patient, 'default.bp.grade2')).map((v) => v.ownerId)).toEqual(
      [clinician.userId, clinician.userId],
    );
  });
});
