import type { MqttClient } from 'mqtt';
import { bleTopic } from '@homeward/contracts';
import {
  ApiClient,
  TestStack,
  bleHex,
  createOrganization,
  createUser,
  dateTime,
  sfloat,
  u16,
  u8,
  waitFor,
} from '@homeward/testing';
import { connectDevice, publishRaw } from './mqtt-helpers';

/** A Bluetooth date-time of `instant` as a clock on UTC shows it. */
const utcClock = (instant: Date) =>
  dateTime(
    instant.getUTCFullYear(),
    instant.getUTCMonth() + 1,
    instant.getUTCDate(),
    instant.getUTCHours(),
    instant.getUTCMinutes(),
    instant.getUTCSeconds(),
  );

/**
 * A hub's Bluetooth measurements through MQTT, ingest, the worker and the API: a device clock in
 * the wrong zone shows on the device, an implausible value raises a notice for the care team,
 * a control-solution test is refused with its own reason.
 */
describe('Bluetooth device clocks, notices and control solution (api, ingest and worker; PostgreSQL, Redis, Mosquitto)', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let patientId: string;
  let hub: { id: string; secret: string };
  let mqtt: MqttClient;

  const ble = (
    messageId: string,
    characteristic: string,
    value: string,
    extra: Record<string, unknown> = {},
  ) => JSON.stringify({ messageId, characteristic, value, receivedAt: new Date().toISOString(), ...extra });
  const bloodPressure = (at: Date) => bleHex(u8(0x02), sfloat(128), sfloat(84), sfloat(99), utcClock(at));
  const device = async () =>
    (
      await admin.request<{ clockSuspect: boolean; clockSuspectSeenAt: string | null }>(
        'GET',
        `/api/devices/${hub.id}`,
      )
    ).body;
  const readings = async (messageId: string) =>
    Number(
      (
        await stack.database.pool.query<{ count: string }>(
          'SELECT count(*) FROM readings WHERE device_id = $1 AND message_id = $2',
          [hub.id, messageId],
        )
      ).rows[0].count,
    );

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api', 'ingest', 'worker'] });
    const organization = await createOrganization(stack.database.pool, 'BLE Org');
    const user = await createUser(stack.database.pool, organization, 'admin');
    admin = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const created = await admin.request<{ id: string }>('POST', '/api/patients', {
      givenName: 'Haruto',
      familyName: 'Sato',
      birthDate: '1948-03-02',
      timeZone: 'Asia/Tokyo',
      monitoringConsent: 'verbal',
    });
    expect(created.status).toBe(201);
    patientId = created.body.id;
    hub = await admin.registerDevice(patientId, 'hub');
    mqtt = await connectDevice(stack.broker.url, hub);
  });

  afterAll(async () => {
    await mqtt?.endAsync();
    await stack?.stop();
  });

  it('stores a UTC clock read as Tokyo time (9 h off) flagged, shows it on the device, and clears when the hub says utc', async () => {
    expect(await device()).toMatchObject({ clockSuspect: false, clockSuspectSeenAt: null });
    await publishRaw(
      mqtt,
      hub.id,
      ble('bp-unlabelled', '2A35', bloodPressure(new Date(Date.now() - 60_000))),
      bleTopic(hub.id),
    );
    await waitFor(async () => (await readings('bp-unlabelled')) === 2, { what: 'the suspect readings' });
    const suspect = await device();
    expect(suspect.clockSuspect).toBe(true);
    expect(suspect.clockSuspectSeenAt).not.toBeNull();

    await publishRaw(
      mqtt,
      hub.id,
      ble('bp-utc', '2A35', bloodPressure(new Date(Date.now() - 30_000)), { deviceClock: 'utc' }),
      bleTopic(hub.id),
    );
    await waitFor(async () => (await readings('bp-utc')) === 2, { what: 'the UTC readings' });
    expect(await device()).toMatchObject({
      clockSuspect: false,
      clockSuspectSeenAt: suspect.clockSuspectSeenAt,
    });
  });

  it('raises an info notice for an implausible SpO2, and refuses a control-solution test by name', async () => {
    await publishRaw(
      mqtt,
      hub.id,
      ble('spo2-12', '2A5E', bleHex(u8(0), sfloat(12), sfloat(70))),
      bleTopic(hub.id),
    );
    const control = bleHex(u8(0x02), u16(5), utcClock(new Date()), sfloat(300, -5), u8(0x1a));
    await publishRaw(
      mqtt,
      hub.id,
      ble('control-1', '2A18', control, { deviceClock: 'utc' }),
      bleTopic(hub.id),
    );
    const notice = await waitFor(
      async () => {
        const alerts = await admin.request<{
          items: Array<{ severity: string; summary: string; patientId: string }>;
        }>('GET', `/api/alerts?patientId=${patientId}`);
        return alerts.body.items.find((alert) => alert.summary.includes('implausible'));
      },
      { what: 'the implausible-value notice' },
    );
    expect(notice).toMatchObject({ severity: 'info', summary: 'implausible SpO2 12 % — check the device' });
    const rejections = await waitFor(async () => {
      const response = await admin.request<{ items: Array<{ reason: string; messageId: string }> }>(
        'GET',
        '/api/ingest/rejections?reason=control_solution',
      );
      return response.body.items.length > 0 && response.body.items;
    });
    expect(rejections.map((r) => [r.reason, r.messageId])).toEqual([['control_solution', 'control-1']]);
    expect(await readings('control-1')).toBe(0);
  });
});
