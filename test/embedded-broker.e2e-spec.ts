import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'mqtt';
import { commandsTopic, readingsTopic } from '@homeward/contracts';
import {
  AppProcess,
  ApiClient,
  TEST_REDIS_URL,
  deleteRedisKeys,
  createTestDatabase,
  freePort,
  startMosquitto,
  waitFor,
  type TestBroker,
  type TestDatabase,
} from '@homeward/testing';
import { bpMessage, connectDevice } from './mqtt-helpers';

interface DemoDevices {
  mqttUrl: string;
  devices: Array<{ id: string; secret: string; kind: string; patientId: string }>;
}

/** The quick start's process: every role, an embedded broker, demo seed and simulator. */
describe('all-in-one demo process with the embedded MQTT broker', () => {
  let database: TestDatabase;
  let occupier: TestBroker;
  let app: AppProcess;
  let port: number;
  const stateDir = join(tmpdir(), `homeward-demo-${randomBytes(4).toString('hex')}`);
  let demo: DemoDevices;
  const redisPrefix = `hwtest-demo-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    [database, occupier, port] = await Promise.all([createTestDatabase(), startMosquitto(), freePort()]);
    app = new AppProcess(
      'homeward',
      {
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redisPrefix,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PORT: String(port),
        // Another broker holds this port: the process must pick a free one and say so.
        MQTT_PORT: String(occupier.port),
        DEMO_PASSWORD: 'demo-password-for-tests',
        // Small enough for one test to exceed; the others publish a few messages a device.
        DEVICE_MAX_MESSAGES_PER_MINUTE: '20',
      },
      ['--demo', '--patients', '2', '--state-dir', stateDir, '--no-simulator'],
    );
    await app.start('Homeward demo ready', 60_000);
    demo = JSON.parse(readFileSync(join(stateDir, 'demo-devices.json'), 'utf8')) as DemoDevices;
  });

  afterAll(async () => {
    await app?.stop();
    await occupier?.stop();
    await database?.drop();
    await deleteRedisKeys(redisPrefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  const tryConnect = (username: string, password: string, clientId = `device-${username}`) =>
    new Promise<string>((resolve) => {
      const client = connect(demo.mqttUrl, {
        username,
        password,
        clientId,
        reconnectPeriod: 0,
        protocolVersion: 4,
      });
      client.once('connect', () => client.end(true, () => resolve('connected')));
      client.once('error', (error) => client.end(true, () => resolve(error.message)));
    });

  it('moves the embedded broker off a taken MQTT_PORT and prints the URL devices should use', () => {
    expect(demo.mqttUrl).toMatch(/^mqtt:\/\/localhost:\d+$/);
    expect(demo.mqttUrl).not.toBe(`mqtt://localhost:${occupier.port}`);
    expect(app.log).toContain(`Devices connect to: ${demo.mqttUrl}`);
    expect(app.log).toContain(`MQTT port ${occupier.port} is taken`);
  });

  it('seeds the demo coordinator and clinician with DEMO_PASSWORD', async () => {
    for (const email of ['coordinator@demo.homeward.test', 'clinician@demo.homeward.test']) {
      const response = await new ApiClient(`http://127.0.0.1:${port}`).request('POST', '/api/auth/login', {
        email,
        password: 'demo-password-for-tests',
      });
      expect(response.status).toBe(200);
    }
    expect(demo.devices).toHaveLength(6);
  });

  it('refuses devices with a wrong secret or an unknown id', async () => {
    const device = demo.devices[0];
    expect(await tryConnect(device.id, 'wrong-secret')).toMatch(/Bad username or password|Not authorized/i);
    expect(await tryConnect(randomBytes(16).toString('hex'), 'x')).toMatch(
      /Bad username or password|Not authorized/i,
    );
    expect(await tryConnect(device.id, device.secret)).toBe('connected');
  });

  it('refuses a device presenting any client id but its own device-{id}', async () => {
    const [device, other] = demo.devices;
    for (const clientId of [
      'ingest-0',
      `device-${other.id}`,
      device.id,
      `t-${randomBytes(4).toString('hex')}`,
    ])
      expect(await tryConnect(device.id, device.secret, clientId)).toMatch(
        /Bad username or password|Not authorized/i,
      );
    expect(await tryConnect(device.id.toUpperCase(), device.secret, `device-${device.id}`)).toBe('connected');
  });

  it('stores what a device publishes to its own topic, and nothing it publishes to another device’s', async () => {
    const [mine, other] = demo.devices;
    const client = connect(demo.mqttUrl, {
      username: mine.id,
      password: mine.secret,
      clientId: `device-${mine.id}`,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await new Promise((resolve) => client.once('connect', resolve));
    await client.publishAsync(
      `v1/devices/${mine.id}/readings`,
      bpMessage('embedded-1', 140, 90, new Date(Date.now() - 1000)),
      { qos: 1 },
    );
    // Raw Bluetooth LE on its own ble topic (2A35, 131/85, no time stamp): the embedded broker's
    // PUBACK comes only after the commit, so the readings are there once the publish resolves.
    await client.publishAsync(
      `v1/devices/${mine.id}/ble`,
      JSON.stringify({
        messageId: 'embedded-ble-1',
        characteristic: '2A35',
        value: '00830055006400',
        receivedAt: new Date(Date.now() - 1000).toISOString(),
      }),
      { qos: 1 },
    );
    const ble = await database.pool.query("SELECT 1 FROM readings WHERE message_id = 'embedded-ble-1'");
    expect(ble.rowCount).toBe(2);
    client.publish(`v1/devices/${other.id}/readings`, bpMessage('spoofed-1', 140, 90), { qos: 0 });
    await waitFor(
      async () =>
        (await database.pool.query("SELECT 1 FROM readings WHERE message_id = 'embedded-1'")).rowCount === 3,
      {
        what: 'reading from the embedded broker',
      },
    );
    const spoofed = await database.pool.query("SELECT 1 FROM readings WHERE message_id = 'spoofed-1'");
    expect(spoofed.rowCount).toBe(0);
    client.end(true);
  });

  it('sends a device that published a crisis reading a remeasure command through the embedded broker', async () => {
    const cuff = demo.devices.find((device) => device.kind === 'bp_cuff');
    if (!cuff) throw new Error('the demo has no BP cuff');
    const client = connect(demo.mqttUrl, {
      username: cuff.id,
      password: cuff.secret,
      clientId: `device-${cuff.id}`,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    try {
      await new Promise((resolve) => client.once('connect', resolve));
      const commands: Array<{ command: string; types: string[] }> = [];
      client.on('message', (topic, payload) => {
        if (topic === commandsTopic(cuff.id))
          commands.push(JSON.parse(payload.toString()) as { command: string; types: string[] });
      });
      await client.subscribeAsync(commandsTopic(cuff.id), { qos: 1 });
      await client.publishAsync(
        `v1/devices/${cuff.id}/readings`,
        bpMessage('embedded-crisis-1', 188, 122, new Date(Date.now() - 1000)),
        { qos: 1 },
      );
      const command = await waitFor(() => commands[0], { what: 'the remeasure command', timeoutMs: 20_000 });
      expect(command).toMatchObject({
        command: 'remeasure',
        types: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
      });
    } finally {
      await client.endAsync(true);
    }
  });

  it('holds a device in a loop to its message budget without holding up another device', async () => {
    const [looping, quiet] = demo.devices.slice(-2);
    const measuredAt = new Date(Date.now() - 5000);
    const flooder = await connectDevice(demo.mqttUrl, looping);
    const neighbour = await connectDevice(demo.mqttUrl, quiet);
    const storedLoopMessages = async () =>
      Number(
        (
          await database.pool.query<{ count: string }>(
            "SELECT count(DISTINCT message_id) AS count FROM readings WHERE device_id = $1 AND message_id LIKE 'loop-%'",
            [looping.id],
          )
        ).rows[0].count,
      );
    try {
      let acknowledged = 0;
      // 30 messages against a budget of 20 a minute: the embedded broker acknowledges each only
      // after it is stored, and holds back the last 10 until the device's next window.
      const flood = Array.from({ length: 30 }, (_, i) =>
        flooder
          .publishAsync(readingsTopic(looping.id), bpMessage(`loop-${i}`, 128, 82, measuredAt), { qos: 1 })
          .then(() => (acknowledged += 1)),
      );
      await waitFor(() => acknowledged >= 20, { what: 'the first 20 acknowledgements', timeoutMs: 20_000 });

      await neighbour.publishAsync(readingsTopic(quiet.id), bpMessage('neighbour-1', 126, 80, measuredAt), {
        qos: 1,
      });
      const neighbourRows = await database.pool.query(
        "SELECT 1 FROM readings WHERE message_id = 'neighbour-1'",
      );
      expect(neighbourRows.rowCount).toBe(3);
      expect(acknowledged).toBe(20);
      expect(await storedLoopMessages()).toBe(20);

      // Held, not lost: the rest are stored once the window turns.
      await Promise.all(flood);
      expect(await storedLoopMessages()).toBe(30);
    } finally {
      await Promise.all([flooder.endAsync(true), neighbour.endAsync(true)]);
    }
  }, 120_000);

  it('kicks a deactivated device or one whose secret was rotated off the embedded broker, and stores a status before its PUBACK', async () => {
    const coordinator = await new ApiClient(`http://127.0.0.1:${port}`).login(
      'coordinator@demo.homeward.test',
      'demo-password-for-tests',
    );
    const [, , first, second] = demo.devices;
    const connectAs = async (device: { id: string }, secret: string) => {
      const client = connect(demo.mqttUrl, {
        username: device.id,
        password: secret,
        clientId: `device-${device.id}`,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      await new Promise((resolve, reject) => {
        client.once('connect', resolve);
        client.once('error', reject);
      });
      return client;
    };
    const closed = (client: ReturnType<typeof connect>) =>
      new Promise<void>((resolve, reject) => {
        if (!client.connected) return resolve();
        const timer = setTimeout(() => reject(new Error('the broker kept the connection open')), 10_000);
        client.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });

    const device = await connectAs(first, first.secret);
    await device.publishAsync(
      `v1/devices/${first.id}/status`,
      JSON.stringify({
        messageId: 'status-1',
        reportedAt: new Date(Date.now() - 1000).toISOString(),
        batteryLevel: 77,
      }),
      { qos: 1 },
    );
    const shown = await coordinator.request<{ batteryLevel: number | null }>(
      'GET',
      `/api/devices/${first.id}`,
    );
    expect(shown.body.batteryLevel).toBe(77);
    const kicked = closed(device);
    expect((await coordinator.request('POST', `/api/devices/${first.id}/deactivate`, {})).status).toBe(200);
    await kicked;
    expect(await tryConnect(first.id, first.secret)).toMatch(/Bad username or password|Not authorized/i);
    expect((await coordinator.request('POST', `/api/devices/${first.id}/reactivate`)).status).toBe(200);
    expect(await tryConnect(first.id, first.secret)).toBe('connected');

    const rotating = await connectAs(second, second.secret);
    const rotatedOff = closed(rotating);
    const rotated = await coordinator.request<{ secret: string }>(
      'POST',
      `/api/devices/${second.id}/rotate-secret`,
    );
    expect(rotated.status).toBe(200);
    await rotatedOff;
    expect(await tryConnect(second.id, second.secret)).toMatch(/Bad username or password|Not authorized/i);
    expect(await tryConnect(second.id, rotated.body.secret)).toBe('connected');
  });

  it('rate-limits login attempts from one address', async () => {
    const client = new ApiClient(`http://127.0.0.1:${port}`);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (
          await client.request('POST', '/api/auth/login', {
            email: 'coordinator@demo.homeward.test',
            password: `guess-${i}`,
          })
        ).status,
      );
    }
    expect(statuses).toContain(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((status) => status === 401)).toBe(true);
  });
});
