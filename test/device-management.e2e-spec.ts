import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Pool } from 'pg';
import { bleTopic, deviceClientId, readingsTopic, statusTopic } from '@homeward/contracts';
import { DynamicSecurityClient } from '@homeward/platform';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  waitFor,
  type MqttAccount,
} from '@homeward/testing';
import { bpMessage, connectDevice } from './mqtt-helpers';

interface Device {
  id: string;
  secret: string;
}

interface DeviceBody {
  id: string;
  patientId: string;
  status: string;
  lastSeenAt: string | null;
  firmwareVersion: string | null;
  batteryLevel: number | null;
  signalStrength: number | null;
  deactivatedAt: string | null;
}

const REFUSED = /Not authorized|Bad username or password/i;

/** Connects as given and resolves with 'connected' or the broker's refusal. */
function tryConnect(url: string, options: IClientOptions): Promise<string> {
  return new Promise((resolve) => {
    const client = connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.once('connect', () => client.end(true, () => resolve('connected')));
    client.once('error', (error) => client.end(true, () => resolve(error.message)));
  });
}

const asDevice = (device: Device, secret = device.secret): IClientOptions => ({
  clientId: deviceClientId(device.id),
  username: device.id,
  password: secret,
});

/** Resolves once the broker has closed this connection. */
function closedBy(client: MqttClient, timeoutMs = 10_000): Promise<void> {
  if (!client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the broker did not close the connection')), timeoutMs);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function readingsOf(pool: Pool, deviceId: string, messageId: string): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    'SELECT count(*) FROM readings WHERE device_id = $1 AND message_id = $2',
    [deviceId, messageId],
  );
  return Number(rows[0].count);
}

function statusMessage(messageId: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ messageId, reportedAt: new Date(Date.now() - 1000).toISOString(), ...fields });
}

describe('Device management against Mosquitto with dynamic security', () => {
  let stack: TestStack;
  let api: ApiClient;
  let clinician: ApiClient;
  let patientId: string;

  const device = async (id: string) => (await api.request<DeviceBody>('GET', `/api/devices/${id}`)).body;
  const stored = (deviceId: string, messageId: string) =>
    waitFor(async () => (await readingsOf(stack.database.pool, deviceId, messageId)) > 0, {
      what: `${messageId} stored`,
      timeoutMs: 20_000,
    });

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api', 'ingest'],
      broker: 'dynamic-security',
      // Ingest asks for a device's route on every batch; a device silent a minute is offline.
      env: { DEVICE_ROUTE_CACHE_MS: '0', UNKNOWN_DEVICE_CACHE_MS: '0', DEVICE_OFFLINE_AFTER_MINUTES: '1' },
    });
    const org = await createOrganization(stack.database.pool);
    const user = await createUser(stack.database.pool, org, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const reader = await createUser(stack.database.pool, org, 'clinician');
    clinician = await new ApiClient(stack.apiUrl).login(reader.email, reader.password);
    patientId = (await api.createPatient()).id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a device with a wrong secret', async () => {
    const cuff = await api.registerDevice(patientId, 'bp_cuff');
    expect(await tryConnect(stack.broker.url, asDevice(cuff, `${cuff.secret}x`))).toMatch(REFUSED);
    expect(await tryConnect(stack.broker.url, asDevice(cuff))).toBe('connected');
  });

  it('stores nothing a device publishes to another device’s readings, ble or status topic, and refuses its subscriptions there', async () => {
    const attacker = await api.registerDevice(patientId, 'hub');
    const victim = await api.registerDevice(patientId, 'scale');
    const client = await connectDevice(stack.broker.url, attacker);
    try {
      // Mosquitto acknowledges a denied QoS 1 publish on MQTT 3.1.1 and drops it (`src/handle_publish.c`).
      await client.publishAsync(readingsTopic(victim.id), bpMessage('spoofed-r', 190, 120), { qos: 1 });
      await client.publishAsync(
        bleTopic(victim.id),
        JSON.stringify({
          messageId: 'spoofed-b',
          characteristic: '2A35',
          value: '00830055006400',
          receivedAt: new Date(Date.now() - 1000).toISOString(),
        }),
        { qos: 1 },
      );
      await client.publishAsync(statusTopic(victim.id), statusMessage('spoofed-s', { batteryLevel: 1 }), {
        qos: 1,
      });
      // Its own messages after the spoofed ones arrive, so the spoofed ones had their chance.
      await client.publishAsync(statusTopic(attacker.id), statusMessage('own-s', { batteryLevel: 64 }), {
        qos: 1,
      });
      await client.publishAsync(readingsTopic(attacker.id), bpMessage('own-r', 131, 85), { qos: 1 });
      await stored(attacker.id, 'own-r');
      await waitFor(async () => (await device(attacker.id)).batteryLevel === 64, { what: 'own status' });

      const pool = stack.database.pool;
      const count = async (sql: string) =>
        Number((await pool.query<{ count: string }>(sql, [victim.id])).rows[0].count);
      expect(await count('SELECT count(*) FROM readings WHERE device_id = $1')).toBe(0);
      expect(await count('SELECT count(*) FROM device_messages WHERE device_id = $1')).toBe(0);
      expect(await count('SELECT count(*) FROM device_status WHERE device_id = $1')).toBe(0);
      expect(await count('SELECT count(*) FROM reading_rejections WHERE device_ref = $1')).toBe(0);
      expect(await device(victim.id)).toMatchObject({ batteryLevel: null, lastSeenAt: null });

      for (const filter of ['#', `v1/devices/${victim.id}/#`, statusTopic(victim.id), 'v1/devices/+/status'])
        await expect(client.subscribeAsync(filter)).rejects.toThrow(/Subscribe error/);
      const [granted] = await client.subscribeAsync(`v1/devices/${attacker.id}/commands`, { qos: 1 });
      expect(granted.qos).toBe(1);
    } finally {
      await client.endAsync(true);
    }
  });

  it('rotates a secret: the connected device is disconnected, the old secret refused, the new one works', async () => {
    const cuff = await api.registerDevice(patientId, 'bp_cuff');
    const client = await connectDevice(stack.broker.url, cuff);
    const closed = closedBy(client);
    const rotated = await api.request<{ secret: string; device: DeviceBody }>(
      'POST',
      `/api/devices/${cuff.id}/rotate-secret`,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(cuff.secret);
    await closed;
    expect(await tryConnect(stack.broker.url, asDevice(cuff))).toMatch(REFUSED);
    const renewed = await connectDevice(stack.broker.url, { id: cuff.id, secret: rotated.body.secret });
    try {
      await renewed.publishAsync(readingsTopic(cuff.id), bpMessage('after-rotation', 128, 82), { qos: 1 });
      await stored(cuff.id, 'after-rotation');
    } finally {
      await renewed.endAsync(true);
    }
  });

  it('deactivates a device: kicked off, refused, nothing it sends stored; reactivated, it works again', async () => {
    const scale = await api.registerDevice(patientId, 'scale');
    const client = await connectDevice(stack.broker.url, scale);
    await client.publishAsync(readingsTopic(scale.id), bpMessage('before-off', 120, 80), { qos: 1 });
    await stored(scale.id, 'before-off');
    const closed = closedBy(client);
    // A clinician may look, not change.
    expect((await clinician.request('POST', `/api/devices/${scale.id}/deactivate`, {})).status).toBe(403);
    const off = await api.request<DeviceBody>('POST', `/api/devices/${scale.id}/deactivate`, {
      reason: 'Lost',
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(String) });
    await closed;
    // The publish below is never acknowledged: the connection is gone.
    client.publish(readingsTopic(scale.id), bpMessage('after-off', 121, 81), { qos: 1 });
    expect(await tryConnect(stack.broker.url, asDevice(scale))).toMatch(REFUSED);
    const again = await api.request<{ code: string }>('POST', `/api/devices/${scale.id}/deactivate`, {});
    expect(again).toMatchObject({ status: 409, body: { code: 'device_already_deactivated' } });
    expect((await clinician.request<DeviceBody>('GET', `/api/devices/${scale.id}`)).body.status).toBe(
      'deactivated',
    );

    const on = await api.request<DeviceBody>('POST', `/api/devices/${scale.id}/reactivate`);
    expect(on).toMatchObject({ status: 200, body: { status: 'active', deactivatedAt: null } });
    const back = await connectDevice(stack.broker.url, scale);
    try {
      await back.publishAsync(readingsTopic(scale.id), bpMessage('after-on', 122, 82), { qos: 1 });
      await stored(scale.id, 'after-on');
      expect(await readingsOf(stack.database.pool, scale.id, 'after-off')).toBe(0);
    } finally {
      await back.endAsync(true);
      client.end(true);
    }
  });

  it('shows a device’s reported status and last contact, and offline after the configured silence', async () => {
    const oximeter = await api.registerDevice(patientId, 'pulse_oximeter');
    const client = await connectDevice(stack.broker.url, oximeter);
    try {
      await client.publishAsync(
        statusTopic(oximeter.id),
        statusMessage('status-1', { firmwareVersion: '3.1.4', batteryLevel: 42, signalStrength: -71 }),
        { qos: 1 },
      );
      const shown = await waitFor(
        async () => {
          const body = await device(oximeter.id);
          return body.firmwareVersion ? body : undefined;
        },
        { what: 'the status in GET /api/devices/{id}' },
      );
      expect(shown).toMatchObject({
        status: 'active',
        firmwareVersion: '3.1.4',
        batteryLevel: 42,
        signalStrength: -71,
        lastSeenAt: expect.any(String),
      });
      const listed = await api.request<{ items: DeviceBody[] }>(
        'GET',
        `/api/devices?status=active&patientId=${patientId}&limit=500`,
      );
      expect(listed.body.items.map((item) => item.id)).toContain(oximeter.id);
    } finally {
      await client.endAsync(true);
    }
    // Two minutes of silence, past DEVICE_OFFLINE_AFTER_MINUTES=1, without waiting for them.
    await stack.database.pool.query(
      `UPDATE device_status SET received_at = now() - interval '2 minutes' WHERE device_id = $1`,
      [oximeter.id],
    );
    await stack.database.pool.query(
      `UPDATE devices SET created_at = now() - interval '2 minutes' WHERE id = $1`,
      [oximeter.id],
    );
    expect((await device(oximeter.id)).status).toBe('offline');
    const offline = await api.request<{ items: DeviceBody[] }>(
      'GET',
      '/api/devices?status=offline&limit=500',
    );
    expect(offline.body.items.map((item) => item.id)).toContain(oximeter.id);
  });

  it('moves a device to another patient of the organisation only; readings keep their patient', async () => {
    const cuff = await api.registerDevice(patientId, 'bp_cuff');
    const client = await connectDevice(stack.broker.url, cuff);
    try {
      await client.publishAsync(readingsTopic(cuff.id), bpMessage('for-first', 120, 80), { qos: 1 });
      await stored(cuff.id, 'for-first');
      const other = await api.request<{ id: string }>('POST', '/api/patients', {
        givenName: 'Grace',
        familyName: 'Hopper',
        birthDate: '1950-01-01',
        monitoringConsent: 'written',
      });
      const stranger = await createOrganization(stack.database.pool, 'Stranger Org');
      const strangerUser = await createUser(stack.database.pool, stranger, 'admin');
      const outsider = await new ApiClient(stack.apiUrl).login(strangerUser.email, strangerUser.password);
      const theirPatient = await outsider.createPatient();
      expect(
        (await api.request('POST', `/api/devices/${cuff.id}/reassign`, { patientId: theirPatient.id }))
          .status,
      ).toBe(404);
      expect((await outsider.request('GET', `/api/devices/${cuff.id}`)).status).toBe(404);
      const moved = await api.request<DeviceBody>('POST', `/api/devices/${cuff.id}/reassign`, {
        patientId: other.body.id,
      });
      expect(moved).toMatchObject({ status: 200, body: { patientId: other.body.id } });
      await client.publishAsync(readingsTopic(cuff.id), bpMessage('for-second', 121, 81), { qos: 1 });
      await stored(cuff.id, 'for-second');
      const { rows } = await stack.database.pool.query<{ message_id: string; patient_id: string }>(
        'SELECT DISTINCT message_id, patient_id FROM readings WHERE device_id = $1 ORDER BY message_id',
        [cuff.id],
      );
      expect(rows).toEqual([
        { message_id: 'for-first', patient_id: patientId },
        { message_id: 'for-second', patient_id: other.body.id },
      ]);
    } finally {
      await client.endAsync(true);
    }
  });

  // Last: it restarts the API.
  it('brings a device role provisioned before the status topic up to date when the API starts', async () => {
    const hub = await api.registerDevice(patientId, 'hub');
    const account = stack.broker.serviceAccount as MqttAccount;
    const dynsec = await DynamicSecurityClient.connect({ url: stack.broker.url, ...account });
    try {
      const [removed] = await dynsec.execute([
        {
          command: 'removeRoleACL',
          rolename: deviceClientId(hub.id),
          acltype: 'publishClientSend',
          topic: statusTopic(hub.id),
        },
      ]);
      expect(removed.error).toBeUndefined();
    } finally {
      await dynsec.close();
    }
    const publishStatus = async (messageId: string) => {
      const client = await connectDevice(stack.broker.url, hub);
      try {
        await client.publishAsync(statusTopic(hub.id), statusMessage(messageId, { batteryLevel: 33 }), {
          qos: 1,
        });
        // A reading after it: once stored, the status had its chance.
        await client.publishAsync(readingsTopic(hub.id), bpMessage(`after-${messageId}`, 120, 80), {
          qos: 1,
        });
        await stored(hub.id, `after-${messageId}`);
      } finally {
        await client.endAsync(true);
      }
    };
    await publishStatus('without-acl');
    expect((await device(hub.id)).batteryLevel).toBeNull();

    await stack.app('api').stop();
    await stack.startApp('api');
    await waitFor(
      async () => {
        const client = await connectDevice(stack.broker.url, hub);
        try {
          await client.publishAsync(
            statusTopic(hub.id),
            statusMessage(`probe-${Date.now()}`, { batteryLevel: 34 }),
            {
              qos: 1,
            },
          );
        } finally {
          await client.endAsync(true);
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        return (await device(hub.id)).batteryLevel === 34;
      },
      { what: 'the status ACL restored', timeoutMs: 20_000, intervalMs: 500 },
    );
  });
});
