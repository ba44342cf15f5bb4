import { randomBytes } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Pool } from 'pg';
import {
  bleTopic,
  commandsTopic,
  readingsTopic,
  receiptsTopic,
  type DeviceReceiptV1,
} from '@homeward/contracts';
import { DynamicSecurityClient } from '@homeward/platform';
import {
  AppProcess,
  ApiClient,
  TEST_REDIS_URL,
  TestStack,
  createOrganization,
  createTestDatabase,
  createUser,
  deleteRedisKeys,
  freePort,
  sleep,
  waitFor,
  type TestDatabase,
} from '@homeward/testing';
import { bpMessage, connectDevice } from './mqtt-helpers';

interface Device {
  id: string;
  secret: string;
  mqttUrl: string;
}

/** The ingest consumer's stable client id, whose persistent session holds the readings queue. */
const INGEST_CLIENT_ID = 'ingest-0';
const REFUSED = /Not authorized|Bad username or password/i;

/** Connects as given; a connection that succeeds is kept for `holdMs` (long enough to be handed a session). */
function tryConnect(url: string, options: IClientOptions, holdMs = 0): Promise<string> {
  return new Promise((resolve) => {
    const client = connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.once('connect', () => {
      setTimeout(() => client.end(true, () => resolve('connected')), holdMs);
    });
    client.once('error', (error) => client.end(true, () => resolve(error.message)));
  });
}

async function storedMessages(pool: Pool, deviceId: string, prefix: string): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    'SELECT count(DISTINCT message_id) AS count FROM readings WHERE device_id = $1 AND message_id LIKE $2',
    [deviceId, `${prefix}-%`],
  );
  return Number(rows[0].count);
}

/** Waits until `expected` messages are stored (or the time is up) and returns how many are. */
async function settledCount(pool: Pool, deviceId: string, prefix: string, expected: number): Promise<number> {
  try {
    await waitFor(async () => (await storedMessages(pool, deviceId, prefix)) >= expected, {
      what: `${expected} messages stored`,
      timeoutMs: 20_000,
    });
  } catch {
    // The count below says what is missing.
  }
  return storedMessages(pool, deviceId, prefix);
}

/**
 * `attacker` keeps trying to connect with its own secret but `clientId` (persistent session, as
 * the ingest consumer's) while `publisher` streams QoS 1 readings. Resolves with every attempt's
 * outcome once the stream is acknowledged.
 */
async function attackWhileStreaming(
  url: string,
  attacker: Device,
  clientId: string,
  publisher: MqttClient,
  publisherId: string,
  prefix: string,
  messages: number,
): Promise<string[]> {
  const outcomes: string[] = [];
  let streaming = true;
  const attacking = (async () => {
    while (streaming) {
      outcomes.push(
        await tryConnect(
          url,
          { clientId, username: attacker.id, password: attacker.secret, clean: false },
          // A taken-over session delivers its queue to whoever holds it.
          300,
        ),
      );
      await sleep(20);
    }
  })();
  const base = Date.now() - 3_600_000;
  for (let i = 0; i < messages; i++) {
    await publisher.publishAsync(
      readingsTopic(publisherId),
      bpMessage(`${prefix}-${i}`, 120 + (i % 30), 80, new Date(base + i * 1000)),
      { qos: 1 },
    );
    if (i % 20 === 0) await sleep(15);
  }
  streaming = false;
  await attacking;
  return outcomes;
}

describe('MQTT client ids bound to device credentials on Mosquitto with dynamic security', () => {
  const MESSAGES = 300;
  let stack: TestStack;
  let api: ApiClient;
  let patientId: string;
  let attacker: Device;
  let victim: Device;
  let victimClient: MqttClient;
  let victimClosed = 0;

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api', 'ingest', 'worker'],
      broker: 'dynamic-security',
      // The suite's own broker: the consumer may use the deployed client id.
      env: { MQTT_CLIENT_ID: INGEST_CLIENT_ID },
    });
    const org = await createOrganization(stack.database.pool);
    const user = await createUser(stack.database.pool, org, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    patientId = (await api.createPatient()).id;
    attacker = await api.registerDevice(patientId, 'bp_cuff');
    victim = await api.registerDevice(patientId, 'scale');
    victimClient = await connectDevice(stack.broker.url, victim);
    victimClient.on('close', () => (victimClosed += 1));
  });

  afterAll(async () => {
    await victimClient?.endAsync(true);
    await stack?.stop();
  });

  it('refuses a device that connects as the ingest consumer, and stores every reading other devices send meanwhile', async () => {
    const outcomes = await attackWhileStreaming(
      stack.broker.url,
      attacker,
      INGEST_CLIENT_ID,
      victimClient,
      victim.id,
      'while-ingest-attacked',
      MESSAGES,
    );

    expect(await settledCount(stack.database.pool, victim.id, 'while-ingest-attacked', MESSAGES)).toBe(
      MESSAGES,
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
    expect(outcomes.filter((outcome) => !REFUSED.test(outcome))).toEqual([]);
  });

  it('refuses a device that uses another device’s client id, and leaves that device connected', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(
        await tryConnect(stack.broker.url, {
          clientId: `device-${victim.id}`,
          username: attacker.id,
          password: attacker.secret,
        }),
      ).toMatch(REFUSED);
    }
    await sleep(200);
    expect(victimClosed).toBe(0);
    expect(victimClient.connected).toBe(true);
    await victimClient.publishAsync(readingsTopic(victim.id), bpMessage('still-here-0', 118, 76), { qos: 1 });
    expect(await settledCount(stack.database.pool, victim.id, 'still-here', 1)).toBe(1);
  });

  it('accepts a device with its own client id and stores its readings', async () => {
    const client = await connectDevice(stack.broker.url, attacker);
    try {
      for (let i = 0; i < 5; i++)
        await client.publishAsync(readingsTopic(attacker.id), bpMessage(`own-id-${i}`, 130, 85), { qos: 1 });
    } finally {
      await client.endAsync();
    }
    expect(await settledCount(stack.database.pool, attacker.id, 'own-id', 5)).toBe(5);
  });

  it('refuses a device’s own client id with a wrong secret', async () => {
    const wrong = randomBytes(32).toString('base64url');
    expect(
      await tryConnect(stack.broker.url, {
        clientId: `device-${attacker.id}`,
        username: attacker.id,
        password: wrong,
      }),
    ).toMatch(REFUSED);
  });

  it('lets a device publish only to its own readings and ble topics and subscribe only below its own topics', async () => {
    const client = await connectDevice(stack.broker.url, attacker);
    // Blood Pressure Measurement 0x2A35 in mmHg without a time stamp: 131/85, mean 100.
    const ble = (messageId: string) =>
      JSON.stringify({
        messageId,
        characteristic: '2A35',
        value: '00830055006400',
        receivedAt: new Date(Date.now() - 1000).toISOString(),
      });
    try {
      // Mosquitto acknowledges a denied QoS 1 publish on MQTT 3.1.1 and drops it.
      await client.publishAsync(readingsTopic(victim.id), bpMessage('spoofed-0', 190, 120), { qos: 1 });
      await client.publishAsync(bleTopic(victim.id), ble('spoofed-ble-0'), { qos: 1 });
      await client.publishAsync(bleTopic(attacker.id), ble('after-spoof-ble-0'), { qos: 1 });
      await client.publishAsync(readingsTopic(attacker.id), bpMessage('after-spoof-0', 131, 85), {
        qos: 1,
      });
      expect(await settledCount(stack.database.pool, attacker.id, 'after-spoof', 2)).toBe(2);
      expect(await storedMessages(stack.database.pool, victim.id, 'spoofed')).toBe(0);

      for (const filter of ['#', `v1/devices/${victim.id}/#`, 'v1/devices/+/readings']) {
        await expect(client.subscribeAsync(filter)).rejects.toThrow(/Subscribe error/);
      }
      const [granted] = await client.subscribeAsync(`v1/devices/${attacker.id}/receipts`, { qos: 1 });
      expect(granted.qos).toBe(1);
    } finally {
      await client.endAsync(true);
    }
  });

  it('sends a device its receipts as the service account, and no device another device’s receipts', async () => {
    const client = await connectDevice(stack.broker.url, victim);
    const forger = await connectDevice(stack.broker.url, attacker);
    try {
      const receipts: DeviceReceiptV1[] = [];
      client.on('message', (topic, payload) => {
        if (topic === receiptsTopic(victim.id))
          receipts.push(JSON.parse(payload.toString()) as DeviceReceiptV1);
      });
      await client.subscribeAsync(receiptsTopic(victim.id), { qos: 1 });
      // Denied by the device's role: acknowledged and dropped by Mosquitto.
      await forger.publishAsync(
        receiptsTopic(victim.id),
        JSON.stringify({ messageId: 'receipted-1', status: 'stored' }),
        { qos: 1 },
      );
      const body = JSON.stringify({
        messageId: 'receipted-1',
        measuredAt: new Date(Date.now() - 1000).toISOString(),
        readings: [{ type: 'body_weight', value: 71.5, unit: 'kg' }],
      });
      await client.publishAsync(readingsTopic(victim.id), body, { qos: 1 });
      await client.publishAsync(readingsTopic(victim.id), body, { qos: 1 });
      await waitFor(() => receipts.length >= 2, { what: 'two receipts', timeoutMs: 10_000 });
      await sleep(300);
      expect(receipts).toEqual([
        { messageId: 'receipted-1', status: 'stored' },
        { messageId: 'receipted-1', status: 'duplicate' },
      ]);
    } finally {
      await forger.endAsync(true);
      await client.endAsync(true);
    }
  });

  // Last: it stops the suite's broker.
  it('lets the platform send a device its remeasure command, and no device send another one commands', async () => {
    const cuff = await api.registerDevice((await api.createPatient()).id, 'bp_cuff');
    const client = await connectDevice(stack.broker.url, cuff);
    const intruder = await connectDevice(stack.broker.url, attacker);
    try {
      const commands: Array<{ command?: string; commandId?: string }> = [];
      client.on('message', (topic, payload) => {
        if (topic === commandsTopic(cuff.id)) commands.push(JSON.parse(payload.toString()) as object);
      });
      await client.subscribeAsync(commandsTopic(cuff.id), { qos: 1 });
      // Denied by the device's role: acknowledged and dropped by Mosquitto.
      await intruder.publishAsync(commandsTopic(cuff.id), JSON.stringify({ commandId: 'forged' }), {
        qos: 1,
      });
      await client.publishAsync(
        readingsTopic(cuff.id),
        bpMessage('dynsec-crisis-1', 189, 100, new Date(Date.now() - 1000)),
        { qos: 1 },
      );
      await waitFor(() => commands.find((command) => command.command === 'remeasure'), {
        what: 'the remeasure command',
        timeoutMs: 20_000,
      });
      expect(commands.map((command) => command.command)).toEqual(['remeasure']);
    } finally {
      await intruder.endAsync(true);
      await client.endAsync(true);
    }
  });

  it('fails a registration the broker cannot take, leaving no device behind', async () => {
    const devicesBefore = await api.request<unknown[]>('GET', `/api/patients/${patientId}/devices`);
    await stack.broker.stop();

    const response = await api.request<{ code: string; message: string }>(
      'POST',
      `/api/patients/${patientId}/devices`,
      { kind: 'thermometer' },
    );

    expect(response.status).toBe(503);
    expect(response.body.code).toBe('broker_provisioning_failed');
    const devicesAfter = await api.request<unknown[]>('GET', `/api/patients/${patientId}/devices`);
    expect(devicesAfter.body).toEqual(devicesBefore.body);
  });
});

/** The quick start's process: every role and an embedded broker that enforces the same binding. */
describe('MQTT client ids bound to device credentials on the all-in-one process’s embedded broker', () => {
  const MESSAGES = 200;
  let database: TestDatabase;
  let app: AppProcess;
  let api: ApiClient;
  let attacker: Device;
  let victim: Device;
  let victimClient: MqttClient;
  let victimClosed = 0;
  const redisPrefix = `hwtest-bind-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    let port: number;
    let mqttPort: number;
    [database, port, mqttPort] = await Promise.all([createTestDatabase(), freePort(), freePort()]);
    app = new AppProcess('homeward', {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PORT: String(port),
      MQTT_PORT: String(mqttPort),
      MQTT_CLIENT_ID: INGEST_CLIENT_ID,
    });
    await app.start('Homeward listening', 60_000);
    const org = await createOrganization(database.pool);
    const user = await createUser(database.pool, org, 'coordinator');
    api = await new ApiClient(`http://127.0.0.1:${port}`).login(user.email, user.password);
    const patientId = (await api.createPatient()).id;
    attacker = await api.registerDevice(patientId, 'bp_cuff');
    victim = await api.registerDevice(patientId, 'scale');
    victimClient = await connectDevice(victim.mqttUrl, victim);
    victimClient.on('close', () => (victimClosed += 1));
  });

  afterAll(async () => {
    await victimClient?.endAsync(true);
    await app?.stop();
    await database?.drop();
    await deleteRedisKeys(redisPrefix);
  });

  it('refuses a device that connects as the ingest consumer, and stores every reading other devices send meanwhile', async () => {
    const outcomes = await attackWhileStreaming(
      victim.mqttUrl,
      attacker,
      INGEST_CLIENT_ID,
      victimClient,
      victim.id,
      'embedded-while-attacked',
      MESSAGES,
    );

    expect(await settledCount(database.pool, victim.id, 'embedded-while-attacked', MESSAGES)).toBe(MESSAGES);
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
    expect(outcomes.filter((outcome) => !REFUSED.test(outcome))).toEqual([]);
  });

  it('refuses a device that uses another device’s client id, and leaves that device connected', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(
        await tryConnect(victim.mqttUrl, {
          clientId: `device-${victim.id}`,
          username: attacker.id,
          password: attacker.secret,
        }),
      ).toMatch(REFUSED);
    }
    await sleep(200);
    expect(victimClosed).toBe(0);
    expect(victimClient.connected).toBe(true);
    await victimClient.publishAsync(readingsTopic(victim.id), bpMessage('embedded-still-here-0', 118, 76), {
      qos: 1,
    });
    expect(await settledCount(database.pool, victim.id, 'embedded-still-here', 1)).toBe(1);
  });
});

describe('the service account’s role on a broker that a version without receipts set up', () => {
  const ROLE = 'homeward-device-commands';
  let stack: TestStack;
  let dynsec: DynamicSecurityClient;

  beforeAll(async () => {
    stack = await TestStack.start({ apps: [], broker: 'dynamic-security' });
    const account = stack.broker.serviceAccount!;
    dynsec = await DynamicSecurityClient.connect({ url: stack.broker.url, ...account });
    // What the previous version left: the role with the commands ACL only, given to the account.
    await dynsec.run({
      command: 'createRole',
      rolename: ROLE,
      acls: [{ acltype: 'publishClientSend', topic: commandsTopic('+'), allow: true }],
    });
    await dynsec.execute([{ command: 'addClientRole', username: account.username, rolename: ROLE }]).catch(
      () => undefined, // the plugin drops this connection as the account's roles change
    );
  });

  afterAll(async () => {
    await dynsec?.close();
    await stack?.stop();
  });

  it('gains the receipts ACL when the API starts, and devices get their receipts', async () => {
    await stack.startApp('api');
    await waitFor(() => dynsec.connected, { what: 'the control connection back' });
    const data = (await dynsec.run({ command: 'getRole', rolename: ROLE })) as {
      role: { acls: Array<{ acltype: string; topic: string; allow: boolean }> };
    };
    expect(data.role.acls.map(({ acltype, topic, allow }) => ({ acltype, topic, allow }))).toEqual(
      expect.arrayContaining([
        { acltype: 'publishClientSend', topic: commandsTopic('+'), allow: true },
        { acltype: 'publishClientSend', topic: receiptsTopic('+'), allow: true },
      ]),
    );
    expect(data.role.acls).toHaveLength(2);

    // A second start finds everything in place and changes nothing.
    await stack.app('api').stop();
    await stack.startApp('api');
    await stack.startApp('ingest');
    const org = await createOrganization(stack.database.pool);
    const user = await createUser(stack.database.pool, org, 'coordinator');
    const api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const device = await api.registerDevice((await api.createPatient()).id, 'scale');
    const client = await connectDevice(stack.broker.url, device);
    try {
      const receipts: DeviceReceiptV1[] = [];
      client.on('message', (_, payload) => receipts.push(JSON.parse(payload.toString()) as DeviceReceiptV1));
      await client.subscribeAsync(receiptsTopic(device.id), { qos: 1 });
      await client.publishAsync(readingsTopic(device.id), bpMessage('upgraded-1', 131, 85), { qos: 1 });
      await waitFor(() => receipts.length > 0, { what: 'the receipt', timeoutMs: 10_000 });
      expect(receipts).toEqual([{ messageId: 'upgraded-1', status: 'stored' }]);
    } finally {
      await client.endAsync(true);
    }
  });
});
