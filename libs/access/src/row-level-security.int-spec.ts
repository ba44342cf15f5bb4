import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { AuditService, IdentityModule, type Principal } from '@homeward/identity';
import { Database, DatabaseSession, type DatabaseSessionSettings } from '@homeward/platform';
import {
  bloodPressure,
  createDevice,
  createCareTeam,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  storeReadingBatch,
  type IntegrationModule,
} from '@homeward/testing';
import { AccessModule } from './access.module';
import { DatabaseScope, DatabaseScopeModule } from './database-scope';
import { careTeamScope, organizationScope, type PatientScope } from './patient-scope';

/**
 * Row-level security, the second line: a query bound to a scope that forgets its own scope
 * condition still gets only the scope's rows, and changes nothing outside it.
 */
describe('row-level security: a query that forgets its scope gets nothing outside it', () => {
  let integration: IntegrationModule;
  let pool: Pool;
  let db: Database;
  let session: DatabaseSession;
  let organizationId: string;
  let otherOrganizationId: string;
  let clinician: string;
  let coordinator: string;
  let teamPatient: string;
  let otherTeamPatient: string;
  let otherOrganizationPatient: string;
  let alerts: Record<string, string>;

  const settingsOf = (scope: PatientScope): DatabaseSessionSettings => ({
    organizationId: scope.organizationId,
    userId: scope.careTeamUserId,
  });
  const inScope = <T>(scope: PatientScope, work: () => Promise<T>) => session.run(settingsOf(scope), work);
  const patientIdsOf = (rows: Array<{ patient_id: string }>) =>
    [...new Set(rows.map((row) => row.patient_id))].sort();

  async function createAlert(patientId: string, orgId: string): Promise<string> {
    const deviceId = await createDevice(pool, orgId, patientId);
    await storeReadingBatch(pool, { patient: patientId, device: deviceId }, bloodPressure(150, 90));
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at)
       VALUES ($1, $2, 'spo2-low', 'threshold', 'SpO2 below 90 %', 'critical', 'oxygen_saturation', 87, '%',
               now(), $3, $4, $5, 'test', 'spo2.low', 87, now()) RETURNING id`,
      [orgId, patientId, deviceId, `m-${randomUUID()}`, randomUUID()],
    );
    return rows[0].id;
  }

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [IdentityModule, AccessModule, DatabaseScopeModule],
      env: { JWT_SECRET: 'x'.repeat(32) },
    });
    pool = integration.database.pool;
    db = integration.moduleRef.get(Database);
    session = integration.moduleRef.get(DatabaseSession);
    organizationId = await createOrganization(pool, 'Home');
    otherOrganizationId = await createOrganization(pool, 'Other');
    clinician = (await createUser(pool, organizationId, 'clinician', { careTeam: false })).id;
    coordinator = (await createUser(pool, organizationId, 'coordinator', { careTeam: false })).id;
    teamPatient = await createPatient(pool, organizationId, { careTeam: false });
    otherTeamPatient = await createPatient(pool, organizationId, { careTeam: false });
    otherOrganizationPatient = await createPatient(pool, otherOrganizationId, { careTeam: false });
    await createCareTeam(pool, organizationId, {
      name: 'Clinician team',
      userIds: [clinician],
      patientIds: [teamPatient],
    });
    await createCareTeam(pool, organizationId, {
      name: 'Coordinator team',
      userIds: [coordinator],
      patientIds: [otherTeamPatient],
    });
    alerts = {
      [teamPatient]: await createAlert(teamPatient, organizationId),
      [otherTeamPatient]: await createAlert(otherTeamPatient, organizationId),
      [otherOrganizationPatient]: await createAlert(otherOrganizationPatient, otherOrganizationId),
    };
  });

  afterAll(async () => {
    await integration?.close();
  });

  it("returns only the care team's patients and their readings to SELECT * without a scope condition", async () => {
    const scope = careTeamScope(organizationId, clinician);
    const patients = await inScope(scope, () => db.query<{ id: string }>('SELECT id FROM patients'));
    expect(patients.rows.map((row) => row.id)).toEqual([teamPatient]);
    const readings = await inScope(scope, () => db.query<{ patient_id: string }>('SELECT * FROM readings'));
    expect(readings.rows.length).toBeGreaterThan(0);
    expect(patientIdsOf(readings.rows)).toEqual([teamPatient]);
    for (const table of [
      'alerts',
      'devices',
      'alert_occurrences',
      'device_assignments',
      'patient_consents',
    ]) {
      const { rows } = await inScope(scope, () =>
        db.query<{ patient_id: string }>(`SELECT patient_id FROM ${table}`),
      );
      expect({ table, patients: patientIdsOf(rows).filter((id) => id !== teamPatient) }).toEqual({
        table,
        patients: [],
      });
    }
  });

  it('changes nothing outside the scope with an UPDATE that names no organisation', async () => {
    const scope = careTeamScope(organizationId, clinician);
    const updated = await inScope(scope, () =>
      db.query("UPDATE alerts SET rule_description = 'touched by the clinician'"),
    );
    expect(updated.rowCount).toBe(1);
    const { rows } = await pool.query<{ id: string; rule_description: string }>(
      'SELECT id, rule_description FROM alerts WHERE id = ANY($1)',
      [Object.values(alerts)],
    );
    const touched = rows
      .filter((row) => row.rule_description === 'touched by the clinician')
      .map((row) => row.id);
    expect(touched).toEqual([alerts[teamPatient]]);
    const deleted = await inScope(scope, () =>
      db.query('DELETE FROM patient_consents WHERE patient_id <> $1', [teamPatient]),
    );
    expect(deleted.rowCount).toBe(0);
  });

  it("shows the whole organisation to an organisation scope (admins), and never another organisation's rows", async () => {
    const scope = organizationScope(organizationId);
    const { rows } = await inScope(scope, () =>
      db.query<{ id: string }>('SELECT id FROM patients ORDER BY id'),
    );
    expect(rows.map((row) => row.id)).toEqual([teamPatient, otherTeamPatient].sort());
    const readings = await inScope(scope, () =>
      db.query<{ patient_id: string }>('SELECT patient_id FROM readings'),
    );
    expect(patientIdsOf(readings.rows)).toEqual([teamPatient, otherTeamPatient].sort());
    const other = await inScope(organizationScope(otherOrganizationId), () =>
      db.query<{ id: string }>('SELECT id FROM patients WHERE id = ANY($1)', [
        [teamPatient, otherTeamPatient],
      ]),
    );
    expect(other.rows).toEqual([]);
  });

  it('leaves platform work (no scope bound) unaffected: it sees every organisation', async () => {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM patients WHERE id = ANY($1)', [
      [teamPatient, otherTeamPatient, otherOrganizationPatient],
    ]);
    expect(rows).toHaveLength(3);
    const user = await db.query<{ user: string }>('SELECT current_user AS user');
    expect(user.rows[0].user).not.toBe('homeward_scoped');
  });

  it('shows a break-glass grant’s patient until the grant expires', async () => {
    const scope = careTeamScope(organizationId, clinician);
    const visible = () =>
      inScope(
        scope,
        async () =>
          (await db.query<{ id: string }>('SELECT id FROM patients WHERE id = $1', [otherTeamPatient]))
            .rowCount,
      );
    expect(await visible()).toBe(0);
    await pool.query(
      `INSERT INTO break_glass_grants (organization_id, patient_id, user_id, reason, expires_at)
       VALUES ($1, $2, $3, 'Covering', now() + interval '1500 milliseconds')`,
      [organizationId, otherTeamPatient, clinician],
    );
    expect(await visible()).toBe(1);
    const readings = await inScope(scope, () =>
      db.query<{ patient_id: string }>('SELECT patient_id FROM readings'),
    );
    expect(patientIdsOf(readings.rows)).toEqual([teamPatient, otherTeamPatient].sort());
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect(await visible()).toBe(0);
  });

  it('shows the patient of an active alert assigned to the user (an on-call page) until the alert closes', async () => {
    const scope = careTeamScope(organizationId, clinician);
    const alertId = alerts[otherTeamPatient];
    const seen = async () => {
      const policy = await inScope(scope, () =>
        db.query('SELECT id FROM patients WHERE id = $1', [otherTeamPatient]),
      );
      const params: unknown[] = [otherTeamPatient];
      const query = await pool.query(
        `SELECT id FROM patients WHERE id = $1 AND ${scope.sql(params, undefined, 'id')}`,
        params,
      );
      return { policy: policy.rowCount, query: query.rowCount };
    };
    expect(await seen()).toEqual({ policy: 0, query: 0 });
    await pool.query(`UPDATE alerts SET status = 'escalated', assigned_to = $2 WHERE id = $1`, [
      alertId,
      clinician,
    ]);
    expect(await seen()).toEqual({ policy: 1, query: 1 });
    await pool.query(`UPDATE alerts SET status = 'resolved' WHERE id = $1`, [alertId]);
    expect(await seen()).toEqual({ policy: 0, query: 0 });
    await pool.query(`UPDATE alerts SET status = 'open', assigned_to = NULL WHERE id = $1`, [alertId]);
  });

  it('lets a coordinator register a patient (INSERT … RETURNING) and its care-team rows in one transaction', async () => {
    const scope = careTeamScope(organizationId, coordinator);
    const created = await inScope(scope, () =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO patients (organization_id, given_name, family_name, birth_date, created_by)
           VALUES ($1, 'New', 'Patient', '1960-01-01', $2) RETURNING id`,
          [organizationId, coordinator],
        );
        const team = await tx.query<{ id: string }>(
          'SELECT care_team_id AS id FROM care_team_members WHERE user_id = $1',
          [coordinator],
        );
        await tx.query(
          'INSERT INTO care_team_patients (care_team_id, patient_id, organization_id) VALUES ($1, $2, $3) RETURNING patient_id',
          [team.rows[0].id, rows[0].id, organizationId],
        );
        return rows[0].id;
      }),
    );
    const seen = await inScope(scope, () => db.query('SELECT 1 FROM patients WHERE id = $1', [created]));
    expect(seen.rowCount).toBe(1);
    // Another organisation's patient cannot be written from this scope.
    await expect(
      inScope(scope, () =>
        db.query(
          `INSERT INTO patients (organization_id, given_name, family_name, birth_date) VALUES ($1, 'X', 'Y', '1960-01-01')`,
          [otherOrganizationId],
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('writes the audit trail (its chain trigger included) under the scoped role, and still refuses changes to it', async () => {
    const audit = integration.moduleRef.get(AuditService);
    const principal: Principal = { userId: clinician, organizationId, role: 'clinician' };
    await inScope(careTeamScope(organizationId, clinician), () =>
      audit.record(principal, 'patient.read', {
        resourceType: 'patient',
        resourceId: teamPatient,
        patientId: teamPatient,
      }),
    );
    const { rows } = await pool.query(
      'SELECT 1 FROM audit_events WHERE actor_user_id = $1 AND patient_id = $2',
      [clinician, teamPatient],
    );
    expect(rows).toHaveLength(1);
    await expect(
      inScope(organizationScope(organizationId), () => db.query('DELETE FROM audit_events')),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('binds the scope per transaction: after a failed statement the pooled connection is clean, with its settings as before', async () => {
    const single = new Database({
      connectionString: integration.database.url,
      max: 1,
      applicationName: 'rls-spec',
      onError: () => undefined,
      session,
    });
    try {
      const scope = careTeamScope(organizationId, clinician);
      const inside = await inScope(scope, () =>
        single.query<{ user: string; organization: string; timeout: string }>(
          `SELECT current_user AS user, current_setting('homeward.organization_id', true) AS organization,
                  current_setting('statement_timeout') AS timeout`,
        ),
      );
      expect(inside.rows[0]).toEqual({
        user: 'homeward_scoped',
        organization: organizationId,
        timeout: '30s',
      });
      await expect(inScope(scope, () => single.query('SELECT 1 / 0'))).rejects.toMatchObject({
        code: '22012',
      });
      const after = await single.query<{ user: string; organization: string | null; open: string }>(
        `SELECT current_user AS user, current_setting('homeward.organization_id', true) AS organization,
                (SELECT count(*) FROM patients WHERE id = ANY($1))::text AS open`,
        [[teamPatient, otherTeamPatient, otherOrganizationPatient]],
      );
      expect(after.rows[0].user).not.toBe('homeward_scoped');
      expect(after.rows[0].organization ?? '').toBe('');
      expect(after.rows[0].open).toBe('3');
    } finally {
      await single.close();
    }
  });

  it('refuses settings that are not UUIDs before any query', () => {
    expect(() => session.run({ organizationId: "x'; DROP TABLE patients; --" }, () => 1)).toThrow(
      'not a UUID',
    );
    expect(() => session.run({ organizationId, userId: 'nobody' }, () => 1)).toThrow('not a UUID');
  });

  it("binds a principal's scope through DatabaseScope (the seam the HTTP interceptor and the socket use)", async () => {
    const scope = integration.moduleRef.get(DatabaseScope);
    const principal: Principal = { userId: clinician, organizationId, role: 'clinician' };
    const { rows } = await scope.run(principal, () =>
      db.query<{ organization: string }>(
        "SELECT current_setting('homeward.organization_id', true) AS organization",
      ),
    );
    expect(rows[0].organization).toBe(organizationId);
  });
});
