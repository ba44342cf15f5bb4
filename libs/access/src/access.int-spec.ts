import { randomUUID } from 'node:crypto';
import {
  careTeamId,
  createIntegrationModule,
  createDevice,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { careTeamRoom, organizationRoom, userRoom } from '@homeward/contracts';
import type { Principal } from '@homeward/identity';
import { AccessModule } from './access.module';
import { AccessPolicy } from './access-policy';
import { organizationScope, type PatientScope } from './patient-scope';

/** The one access seam against real tables: a scope's condition keeps a query to its patients. */
describe('access: patient scope and socket rooms', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let access: AccessPolicy;
  let own: Principal;
  let other: Principal;
  let ownPatients: string[];
  let otherPatient: string;

  /** Patients visible to `scope`, optionally only among `ids`: the scope's condition after the query's own parameter. */
  const visiblePatients = async (scope: PatientScope, ids: string[] | null = null) => {
    const params: unknown[] = [ids];
    const { rows } = await database.pool.query<{ id: string }>(
      `SELECT p.id FROM patients p WHERE ($1::uuid[] IS NULL OR p.id = ANY($1)) AND ${scope.sql(params, 'p', 'id')} ORDER BY p.id`,
      params,
    );
    return rows.map((row) => row.id);
  };

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'worker', imports: [AccessModule] });
    database = integration.database;
    access = integration.moduleRef.get(AccessPolicy);
    const [ownOrganization, otherOrganization] = [
      await createOrganization(database.pool, 'Own'),
      await createOrganization(database.pool, 'Other'),
    ];
    const [ownUser, otherUser] = [
      await createUser(database.pool, ownOrganization, 'coordinator'),
      await createUser(database.pool, otherOrganization, 'admin'),
    ];
    own = { userId: ownUser.id, organizationId: ownOrganization, role: 'coordinator' };
    other = { kind: 'staff', userId: otherUser.id, organizationId: otherOrganization, role: 'admin' };
    ownPatients = [
      await createPatient(database.pool, ownOrganization),
      await createPatient(database.pool, ownOrganization),
    ];
    otherPatient = await createPatient(database.pool, otherOrganization);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it("returns only the principal's organisation's patients", async () => {
    expect(await visiblePatients(access.patientScope(own))).toEqual([...ownPatients].sort());
    expect(await visiblePatients(access.patientScope(other))).toEqual([otherPatient]);
  });

  it("returns nothing of another organisation's patients, even asked by id", async () => {
    expect(await visiblePatients(access.patientScope(other), ownPatients)).toEqual([]);
    expect(await visiblePatients(access.patientScope(own), [otherPatient])).toEqual([]);
    expect(await visiblePatients(access.patientScope(own), [ownPatients[0], otherPatient])).toEqual([
      ownPatients[0],
    ]);
  });

  it('keeps a joined table to the scope through its alias, numbered after the parameters already there', async () => {
    const device = await createDevice(database.pool, own.organizationId, ownPatients[0]);
    const scoped = async (scope: PatientScope) => {
      const params: unknown[] = [device, 'unused'];
      const text = `SELECT d.id FROM devices d JOIN patients p ON p.id = d.patient_id AND ${scope.sql(params, 'p', 'id')}
                    WHERE d.id = $1 AND $2::text IS NOT NULL AND ${scope.sql(params, 'd')}`;
      expect(text).toContain('p.organization_id = $3');
      expect(text).toContain(`d.organization_id = $${params.length - (scope.careTeamUserId ? 1 : 0)}`);
      return (await database.pool.query(text, params)).rowCount;
    };
    expect(await scoped(access.patientScope(own))).toBe(1);
    expect(await scoped(access.patientScope(other))).toBe(0);
  });

  it('is the same scope for the platform acting for an organisation as for its admins', async () => {
    expect(await visiblePatients(organizationScope(other.organizationId))).toEqual(
      await visiblePatients(access.patientScope(other)),
    );
  });

  it('refuses an alias that is not a plain identifier', () => {
    expect(() => access.patientScope(own).sql([], 'p; DELETE FROM patients')).toThrow('Not an SQL alias');
  });

  it("chooses socket rooms per principal: a patient's events reach its organisation's sockets only", async () => {
    const ownRooms = await access.socketRooms(own);
    const otherRooms = await access.socketRooms(other);
    const team = await careTeamId(database.pool, own.organizationId);
    expect(ownRooms).toEqual([careTeamRoom(team), userRoom(own.userId)]);
    expect(otherRooms).toEqual([organizationRoom(other.organizationId), userRoom(other.userId)]);
    const event = await access.patientRooms({
      organizationId: own.organizationId,
      patientId: ownPatients[0],
    });
    expect(event).toEqual([organizationRoom(own.organizationId), careTeamRoom(team)]);
    expect(event.some((room) => ownRooms.includes(room))).toBe(true);
    expect(event.some((room) => otherRooms.includes(room))).toBe(false);
    expect(access.userRooms(own.userId).some((room) => otherRooms.includes(room))).toBe(false);
  });
  it("sends a patient's events to the users reaching it outside its care teams, for as long as they do", async () => {
    const patientId = ownPatients[0];
    const outsider = await createUser(database.pool, own.organizationId, 'clinician', {
      careTeam: 'Elsewhere',
    });
    const rooms = () => access.patientRooms({ organizationId: own.organizationId, patientId });
    expect(await rooms()).not.toContain(userRoom(outsider.id));

    // Break-glass: while the grant runs, not after it expired.
    await database.pool.query(
      `INSERT INTO break_glass_grants (organization_id, patient_id, user_id, reason, granted_at, expires_at)
       VALUES ($1, $2, $3, 'Covering', now() - interval '1 hour', now() - interval '1 minute')`,
      [own.organizationId, patientId, outsider.id],
    );
    expect(await rooms()).not.toContain(userRoom(outsider.id));
    await database.pool.query(
      `INSERT INTO break_glass_grants (organization_id, patient_id, user_id, reason, expires_at)
       VALUES ($1, $2, $3, 'Covering', now() + interval '1 hour')`,
      [own.organizationId, patientId, outsider.id],
    );
    expect(await rooms()).toContain(userRoom(outsider.id));
    await database.pool.query(`DELETE FROM break_glass_grants WHERE user_id = $1`, [outsider.id]);

    // An on-call clinician assigned one of the patient's alerts: while it is active.
    const device = await createDevice(database.pool, own.organizationId, patientId);
    const { rows } = await database.pool.query<{ id: string }>(
      `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity,
                           trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                           trigger_message_id, batch_id, correlation_id, episode_key, last_value, last_measured_at,
                           status, assigned_to)
       VALUES ($1, $2, 'spo2-low', 'threshold', 'SpO2 below 90 %', 'critical', 'oxygen_saturation', 87, '%',
               now(), $3, $4, $5, 'test', 'spo2.low', 87, now(), 'escalated', $6) RETURNING id`,
      [own.organizationId, patientId, device, `m-${randomUUID()}`, randomUUID(), outsider.id],
    );
    expect(await rooms()).toContain(userRoom(outsider.id));
    await database.pool.query(`UPDATE alerts SET status = 'resolved', closed_at = now() WHERE id = $1`, [
      rows[0].id,
    ]);
    expect(await rooms()).not.toContain(userRoom(outsider.id));
  });
});
