import type { TestingModule } from '@nestjs/testing';
import type { Principal } from '@homeward/access';
import {
  bloodPressure,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  storeReadingBatch,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { PatientsModule } from '../patients.module';
import { DeviceService } from './device.service';

describe('DeviceService: managing devices within an organisation', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let integration: IntegrationModule;
  let devices: DeviceService;
  let coordinator: Principal;
  let outsider: Principal;
  let patientA: string;
  let patientB: string;
  const disconnected: string[] = [];

  const audit = async (deviceId: string) =>
    (
      await database.pool.query<{ action: string; outcome: string; patient_id: string | null }>(
        `SELECT action, outcome, patient_id FROM audit_events WHERE resource_id = $1 ORDER BY id`,
        [deviceId],
      )
    ).rows.map((row) => [row.action, row.outcome, row.patient_id]);

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [PatientsModule],
      env: {
        JWT_SECRET: 'integration-secret-0123456789abcdef0123456789',
        DEVICE_OFFLINE_AFTER_MINUTES: '60',
      },
    });
    ({ moduleRef, database } = integration);
    devices = moduleRef.get(DeviceService);
    devices.attachBrokerConnections({ disconnect: (clientId) => disconnected.push(clientId) });
    const organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'coordinator');
    coordinator = { userId: user.id, organizationId: organization, role: 'coordinator' };
    const other = await createOrganization(database.pool, 'Other Org');
    const otherUser = await createUser(database.pool, other, 'admin');
    outsider = { userId: otherUser.id, organizationId: other, role: 'admin' };
    patientA = await createPatient(database.pool, organization);
    patientB = await createPatient(database.pool, organization);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('lists the organisation’s devices by status and patient, in pages', async () => {
    const cuff = (await devices.register(coordinator, patientA, { kind: 'bp_cuff' })).device;
    const scale = (await devices.register(coordinator, patientA, { kind: 'scale' })).device;
    const oximeter = (await devices.register(coordinator, patientB, { kind: 'pulse_oximeter' })).device;
    // The scale was registered two hours ago and never heard from: offline.
    await database.pool.query(`UPDATE devices SET created_at = now() - interval '2 hours' WHERE id = $1`, [
      scale.id,
    ]);
    await devices.deactivate(coordinator, oximeter.id, 'Returned');

    const ids = async (filter: Parameters<DeviceService['list']>[1], limit = 50, offset = 0) =>
      (await devices.list(coordinator, filter, { limit, offset })).map((device) => device.id);
    expect(await ids({})).toEqual([scale.id, cuff.id, oximeter.id]);
    expect(await ids({ status: 'active' })).toEqual([cuff.id]);
    expect(await ids({ status: 'offline' })).toEqual([scale.id]);
    expect(await ids({ status: 'deactivated' })).toEqual([oximeter.id]);
    expect(await ids({ patientId: patientB })).toEqual([oximeter.id]);
    expect(await ids({}, 1, 1)).toEqual([cuff.id]);
    expect(await devices.get(coordinator, scale.id)).toMatchObject({ status: 'offline', lastSeenAt: null });
    expect(await devices.get(coordinator, oximeter.id)).toMatchObject({
      status: 'deactivated',
      deactivatedReason: 'Returned',
    });
    expect(await devices.list(outsider, {}, { limit: 50, offset: 0 })).toEqual([]);
  });

  it('shows a device clock as suspect while its latest stored message was flagged clock_suspect', async () => {
    const { device } = await devices.register(coordinator, patientA, { kind: 'bp_cuff' });
    const message = (id: string, suspect: boolean | null, secondsAgo: number) =>
      database.pool.query(
        `INSERT INTO device_messages (device_id, message_id, measured_at, batch_id, received_at, clock_suspect)
         VALUES ($1, $2, now(), gen_random_uuid(), now() - make_interval(secs => $4), $3)`,
        [device.id, id, suspect, secondsAgo],
      );
    expect(await devices.get(coordinator, device.id)).toMatchObject({
      clockSuspect: false,
      clockSuspectSeenAt: null,
    });
    await message('m-1', null, 120);
    await message('m-2', true, 60);
    const suspect = await devices.get(coordinator, device.id);
    expect(suspect.clockSuspect).toBe(true);
    expect(suspect.clockSuspectSeenAt).toBeInstanceOf(Date);
    // The clock was put right: the next message is not suspect, and when it last was stays shown.
    await message('m-3', null, 0);
    expect(await devices.get(coordinator, device.id)).toMatchObject({
      clockSuspect: false,
      clockSuspectSeenAt: suspect.clockSuspectSeenAt,
    });
  });

  it('counts a stored message or a status as contact', async () => {
    const { device } = await devices.register(coordinator, patientA, { kind: 'thermometer' });
    await database.pool.query(`UPDATE devices SET created_at = now() - interval '2 hours' WHERE id = $1`, [
      device.id,
    ]);
    expect((await devices.get(coordinator, device.id)).status).toBe('offline');
    await database.pool.query(
      `INSERT INTO device_status (device_id, message_id, reported_at, firmware_version, battery_level, signal_strength)
       VALUES ($1, 's-1', now(), '1.2.3', 55, -70)`,
      [device.id],
    );
    expect(await devices.get(coordinator, device.id)).toMatchObject({
      status: 'active',
      firmwareVersion: '1.2.3',
      batteryLevel: 55,
      signalStrength: -70,
    });
  });

  it('answers 404 for another organisation’s device or patient, and audits the attempt as denied', async () => {
    const { device } = await devices.register(coordinator, patientA, { kind: 'glucometer' });
    await expect(devices.get(outsider, device.id)).rejects.toMatchObject({ status: 404 });
    await expect(devices.deactivate(outsider, device.id)).rejects.toMatchObject({ status: 404 });
    await expect(devices.rotateSecret(outsider, device.id)).rejects.toMatchObject({ status: 404 });
    const otherPatient = await createPatient(database.pool, outsider.organizationId);
    await expect(devices.reassign(coordinator, device.id, otherPatient)).rejects.toMatchObject({
      status: 404,
    });
    expect((await devices.get(coordinator, device.id)).patientId).toBe(patientA);
    expect(await audit(device.id)).toEqual([
      ['device.read', 'denied', null],
      ['device.deactivate', 'denied', null],
      ['device.rotate_secret', 'denied', null],
      ['device.read', 'allowed', patientA],
    ]);
  });

  it('deactivates and reactivates once each, closing the device’s connection, with an audit row per change', async () => {
    const { device, secret } = await devices.register(coordinator, patientA, { kind: 'bp_cuff' });
    disconnected.length = 0;
    const deactivated = await devices.deactivate(coordinator, device.id);
    expect(deactivated.status).toBe('deactivated');
    expect(disconnected).toEqual([`device-${device.id}`, `device-${device.id}`]);
    expect(await devices.authenticateMqtt(device.id, secret, `device-${device.id}`)).toBe(false);
    await expect(devices.deactivate(coordinator, device.id)).rejects.toMatchObject({
      status: 409,
      response: expect.objectContaining({ code: 'device_already_deactivated' }),
    });
    expect((await devices.reactivate(coordinator, device.id)).status).toBe('active');
    expect(await devices.authenticateMqtt(device.id, secret, `device-${device.id}`)).toBe(true);
    await expect(devices.reactivate(coordinator, device.id)).rejects.toMatchObject({ status: 409 });
    expect(await audit(device.id)).toEqual([
      ['device.deactivate', 'allowed', patientA],
      ['device.reactivate', 'allowed', patientA],
    ]);
  });

  it('rotates the secret: the old one stops working, the new one works', async () => {
    const { device, secret } = await devices.register(coordinator, patientA, { kind: 'scale' });
    disconnected.length = 0;
    const rotated = await devices.rotateSecret(coordinator, device.id);
    expect(rotated.secret).not.toBe(secret);
    expect(disconnected).toContain(`device-${device.id}`);
    expect(await devices.authenticateMqtt(device.id, secret, `device-${device.id}`)).toBe(false);
    expect(await devices.authenticateMqtt(device.id, rotated.secret, `device-${device.id}`)).toBe(true);
    expect(await audit(device.id)).toEqual([['device.rotate_secret', 'allowed', patientA]]);
  });

  it('reassigns within the organisation; readings already stored keep their patient', async () => {
    const { device } = await devices.register(coordinator, patientA, { kind: 'bp_cuff' });
    await storeReadingBatch(database.pool, { patient: patientA, device: device.id }, bloodPressure(130, 85));
    const moved = await devices.reassign(coordinator, device.id, patientB);
    expect(moved.patientId).toBe(patientB);
    const { rows } = await database.pool.query<{ patient_id: string }>(
      'SELECT DISTINCT patient_id FROM readings WHERE device_id = $1',
      [device.id],
    );
    expect(rows).toEqual([{ patient_id: patientA }]);
    await expect(devices.reassign(coordinator, device.id, patientB)).rejects.toMatchObject({ status: 409 });
    expect(await audit(device.id)).toEqual([['device.reassign', 'allowed', patientA]]);
    const { rows: patientRows } = await database.pool.query<{ count: string }>(
      `SELECT count(*) FROM audit_events WHERE action = 'device.reassign' AND resource_id = $1 AND patient_id = $2`,
      [patientB, patientB],
    );
    // The new patient's trail: the move, and the refused repeat.
    expect(Number(patientRows[0].count)).toBe(2);
  });
});
