import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { DEVICE_CONTRACT, readingsTopic } from '@homeward/contracts';
import {
  AppProcess,
  TEST_REDIS_URL,
  createTestDatabase,
  deleteRedisKeys,
  freePort,
  sleep,
  waitFor,
  type TestDatabase,
} from '@homeward/testing';
import { ReceiptingDevice, bpMessage, connectDevice } from './mqtt-helpers';

interface DemoDevice {
  id: string;
  secret: string;
  kind: string;
}

/** One all-in-one process (`npm run demo`'s) with its own database, Redis prefix and ports. */
interface Homeward {
  app: AppProcess;
  env: Record<string, string>;
  database: TestDatabase;
  stateDir: string;
  redisPrefix: string;
  devices: DemoDevice[];
}

const DEMO_ARGS = ['--demo', '--patients', '2', '--no-simulator'];

async function startHomeward(extraEnv: Record<string, string> = {}): Promise<Homeward> {
  const run = randomBytes(4).toString('hex');
  const [database, port, mqttPort] = await Promise.all([createTestDatabase(), freePort(), freePort()]);
  const stateDir = join(tmpdir(), `homeward-durability-${run}`);
  const redisPrefix = `hwtest-durability-${run}`;
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    DEMO_PASSWORD: 'demo-password-for-tests',
    // These suites crash the process under thousands of messages from one device; the budget
    // that holds a looping device back is tested in embedded-broker.e2e-spec.ts.
    DEVICE_MAX_MESSAGES_PER_MINUTE: '0',
    ...extraEnv,
  };
  const app = new AppProcess('homeward', env, [...DEMO_ARGS, '--state-dir', stateDir]);
  const homeward: Homeward = { app, env, database, stateDir, redisPrefix, devices: [] };
  try {
    await app.start('Homeward demo ready', 60_000);
  } catch (error) {
    await stopHomeward(homeward);
    throw error;
  }
  const demo = JSON.parse(readFileSync(join(stateDir, 'demo-devices.json'), 'utf8')) as {
    devices: DemoDevice[];
  };
  homeward.devices = demo.devices.filter((device) => device.kind === 'bp_cuff');
  return homeward;
}

async function stopHomeward(homeward: Homeward | undefined): Promise<void> {
  if (!homeward) return;
  await homeward.app.stop();
  await homeward.database.drop();
  await deleteRedisKeys(homeward.redisPrefix);
  rmSync(homeward.stateDir, { recursive: true, force: true });
}

/** The URL the process tells its operator devices should use. */
function printedMqttUrl(app: AppProcess): string {
  const printed = [...app.log.matchAll(/Devices connect to: (\S+)/g)].at(-1)?.[1];
  if (!printed) throw new Error(`no "Devices connect to" line in the log:\n${app.log.slice(-2000)}`);
  return printed;
}

function mqttPortOf(url: string): number {
  return Number(new URL(url).port);
}

/** Resolves with 'connected' or the socket error code (ECONNREFUSED, ...). */
function tcpProbe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** A device client that tolerates the broker closing on it (socket errors are expected). */
function deviceClient(url: string, device: DemoDevice): MqttClient {
  const client = connect(url, {
    clientId: `device-${device.id}`,
    username: device.id,
    password: device.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  // A killed broker or a refused packet surfaces as socket errors too; the 'close' is what counts.
  client.on('error', () => undefined);
  return client;
}

async function connected(client: MqttClient): Promise<MqttClient> {
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('close', () => reject(new Error('the broker closed the connection before CONNACK')));
  });
  return client;
}

async function count(database: TestDatabase, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await database.pool.query<{ n: string }>(sql, params)).rows[0].n);
}

/** Messages the device sent during the test, not the 30 days of history the demo seeds for it. */
const LIVE = "message_id NOT LIKE 'demo-history-%'";

/** Readings rows per message id for one device. */
async function readingsPerMessage(database: TestDatabase, deviceId: string): Promise<Map<string, number>> {
  const { rows } = await database.pool.query<{ message_id: string; n: string }>(
    `SELECT message_id, count(*) AS n FROM readings WHERE device_id = $1 AND ${LIVE} GROUP BY message_id`,
    [deviceId],
  );
  return new Map(rows.map((row) => [row.message_id, Number(row.n)]));
}

const READINGS_PER_MESSAGE = 3;

describe('all-in-one process: acknowledged readings survive SIGKILL', () => {
  const MESSAGES = 3000;
  const IN_FLIGHT = 100;
  const PACE_MS = 20;
  const FLUSH_MS = 200;
  let homeward: Homeward | undefined;

  afterAll(async () => {
    await stopHomeward(homeward);
  });

  it('stores every reading the embedded broker acknowledged exactly once after a SIGKILL mid-stream and a restart', async () => {
    // A long flush keeps many received-but-uncommitted messages in the process when it is
    // killed: had the broker acknowledged any of them on receipt, they would be lost here.
    homeward = await startHomeward({ INGEST_FLUSH_MS: String(FLUSH_MS) });
    const { database } = homeward;
    const [device] = homeward.devices;
    const url = printedMqttUrl(homeward.app);
    expect(url).toMatch(/^mqtt:\/\/localhost:\d+$/);
    const base = Date.now() - 3_600_000;
    const message = (i: number) =>
      bpMessage(`durable-${i}`, 110 + (i % 40), 70 + (i % 10), new Date(base + i * 1000));

    const publisher = await connected(deviceClient(url, device));
    const closed = new Promise<void>((resolve) => publisher.once('close', () => resolve()));
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    const sent = new Set<number>();
    const acknowledged = new Set<number>();
    let next = 0;
    // IN_FLIGHT senders, each with one unacknowledged message at a time and paced, so that
    // even a broker acknowledging on receipt could not finish the stream before the kill.
    const sender = async () => {
      while (!isClosed && next < MESSAGES) {
        const i = next++;
        sent.add(i);
        await Promise.race([
          publisher.publishAsync(readingsTopic(device.id), message(i), { qos: 1 }).then(
            () => void acknowledged.add(i),
            () => undefined,
          ),
          closed,
        ]);
        await sleep(PACE_MS);
      }
    };
    const publishing = Promise.all(Array.from({ length: IN_FLIGHT }, sender));

    const storedMessages = () =>
      count(database, `SELECT count(*) AS n FROM device_messages WHERE device_id = $1 AND ${LIVE}`, [
        device.id,
      ]);
    await waitFor(async () => (await storedMessages()) >= 600, {
      what: 'part of the stream stored',
      intervalMs: 5,
      timeoutMs: 60_000,
    });
    // Half a flush interval after a commit was seen: the next batch is being gathered.
    await sleep(FLUSH_MS / 2);
    const sentAtKill = sent.size;
    const acknowledgedAtKill = acknowledged.size;
    await homeward.app.kill();
    const storedAtKill = await storedMessages();
    await publishing;
    publisher.end(true);
    const acknowledgedIds = [...acknowledged].map((i) => `durable-${i}`);

    // Restarted on the same database (without --demo, which would issue fresh device credentials).
    homeward.app = new AppProcess('homeward', homeward.env, ['--state-dir', homeward.stateDir]);
    await homeward.app.start('Homeward listening', 60_000);

    const stored = await readingsPerMessage(database, device.id);
    expect(acknowledgedIds.filter((id) => stored.get(id) !== READINGS_PER_MESSAGE)).toEqual([]);
    expect([...stored].filter(([, rows]) => rows !== READINGS_PER_MESSAGE)).toEqual([]);
    const { rows: ledger } = await database.pool.query<{ message_id: string }>(
      `SELECT message_id FROM device_messages WHERE device_id = $1 AND ${LIVE}`,
      [device.id],
    );
    const inLedger = new Set(ledger.map((row) => row.message_id));
    expect(acknowledgedIds.filter((id) => !inLedger.has(id))).toEqual([]);

    // The device still holds what was not acknowledged and sends it again, to the URL the
    // restarted process prints: some of it was stored before the kill and must not double.
    const again = await connectDevice(printedMqttUrl(homeward.app), device);
    const unacknowledged = Array.from({ length: MESSAGES }, (_, i) => i).filter((i) => !acknowledged.has(i));
    for (let start = 0; start < unacknowledged.length; start += IN_FLIGHT)
      await Promise.all(
        unacknowledged
          .slice(start, start + IN_FLIGHT)
          .map((i) => again.publishAsync(readingsTopic(device.id), message(i), { qos: 1 })),
      );
    await again.endAsync();

    const complete = await readingsPerMessage(database, device.id);
    expect(complete.size).toBe(MESSAGES);
    expect([...complete].filter(([, rows]) => rows !== READINGS_PER_MESSAGE)).toEqual([]);
    expect(
      await count(database, `SELECT count(*) AS n FROM device_messages WHERE device_id = $1 AND ${LIVE}`, [
        device.id,
      ]),
    ).toBe(MESSAGES);
    expect(await count(database, 'SELECT count(*) AS n FROM reading_rejections')).toBe(0);

    // The kill came mid-stream, with messages sent and not yet acknowledged.
    expect(storedAtKill).toBeLessThan(MESSAGES);
    expect(sentAtKill - acknowledgedAtKill).toBeGreaterThanOrEqual(IN_FLIGHT / 2);
  });
});

describe('all-in-one process: embedded broker limits', () => {
  let homeward: Homeward;
  let wildcard: Homeward | undefined;

  beforeAll(async () => {
    homeward = await startHomeward();
  });

  afterAll(async () => {
    await stopHomeward(wildcard);
    await stopHomeward(homeward);
  });

  /** Publishes QoS 1 and reports whether a PUBACK came back or the broker closed the connection. */
  async function publishOutcome(
    client: MqttClient,
    topic: string,
    payload: Buffer,
  ): Promise<'acknowledged' | 'disconnected'> {
    const closed = new Promise<'disconnected'>((resolve) =>
      client.once('close', () => resolve('disconnected')),
    );
    return Promise.race([
      client.publishAsync(topic, payload, { qos: 1 }).then(
        () => 'acknowledged' as const,
        () => 'disconnected' as const,
      ),
      closed,
    ]);
  }

  /** A well-formed reading padded with an extra field to exactly `bytes` bytes. */
  const padded = (messageId: string, bytes: number): Buffer => {
    const message = JSON.parse(bpMessage(messageId, 130, 85)) as Record<string, unknown>;
    const empty = JSON.stringify({ ...message, padding: '' }).length;
    return Buffer.from(JSON.stringify({ ...message, padding: 'x'.repeat(bytes - empty) }));
  };

  it('disconnects a device whose packet exceeds the limit, stores nothing of it, and keeps serving other devices', async () => {
    const [device, other] = homeward.devices;
    const url = printedMqttUrl(homeward.app);
    const topic = readingsTopic(device.id);
    // Remaining length of a QoS 1 PUBLISH on MQTT 3.1.1: topic length, topic, packet id, payload.
    const overhead = 2 + Buffer.byteLength(topic) + 2;
    const bystander = await connectDevice(url, other);

    for (const [messageId, bytes] of [
      ['oversize-2mib', 2 * 1024 * 1024],
      ['oversize-10mib', 10 * 1024 * 1024],
      ['oversize-by-one', DEVICE_CONTRACT.maxPacketBytes - overhead + 1],
    ] as const) {
      const client = await connected(deviceClient(url, device));
      expect([messageId, await publishOutcome(client, topic, padded(messageId, bytes))]).toEqual([
        messageId,
        'disconnected',
      ]);
      client.end(true);
    }
    expect(homeward.app.log).toContain('MQTT packet over the size limit');

    // A packet exactly at the limit is accepted, and recorded as a payload over the contract's limit.
    const atLimit = await connected(deviceClient(url, device));
    const atLimitPayload = padded('at-packet-limit', DEVICE_CONTRACT.maxPacketBytes - overhead);
    expect(await publishOutcome(atLimit, topic, atLimitPayload)).toBe('acknowledged');

    // The broker still serves: the bystander stayed connected, and both devices are stored.
    expect(homeward.app.running).toBe(true);
    await bystander.publishAsync(readingsTopic(other.id), bpMessage('bystander-1', 128, 82), { qos: 1 });
    await atLimit.publishAsync(topic, bpMessage('after-oversize-1', 126, 81), { qos: 1 });
    const stored = await homeward.database.pool.query<{ message_id: string }>(
      "SELECT DISTINCT message_id FROM readings WHERE message_id IN ('bystander-1', 'after-oversize-1')",
    );
    expect(stored.rows.map((row) => row.message_id).sort()).toEqual(['after-oversize-1', 'bystander-1']);
    expect(bystander.connected).toBe(true);
    atLimit.end(true);
    bystander.end(true);

    const { rows: rejections } = await homeward.database.pool.query<{
      reason: string;
      payload_bytes: number;
      device_ref: string;
    }>('SELECT reason, payload_bytes, device_ref FROM reading_rejections ORDER BY id');
    expect(rejections).toEqual([
      { reason: 'payload_too_large', payload_bytes: atLimitPayload.length, device_ref: device.id },
    ]);
    expect(
      await count(
        homeward.database,
        "SELECT count(*) AS n FROM readings WHERE message_id LIKE 'oversize-%' OR message_id = 'at-packet-limit'",
      ),
    ).toBe(0);
  });

  it('sends a device its receipts through the embedded broker once committed, one per message of a hub batch', async () => {
    const [, device] = homeward!.devices;
    const hub = await ReceiptingDevice.connect(printedMqttUrl(homeward!.app), device, { hubBatchSize: 500 });
    try {
      const base = Date.now() - 60_000;
      const batch = Array.from({ length: 500 }, (_, i) => ({
        messageId: `aio-hub-${i}`,
        body: bpMessage(`aio-hub-${i}`, 120 + (i % 30), 80, new Date(base + i)),
      }));
      hub.send(batch);
      await hub.settled(30_000);
      hub.send([
        batch[0],
        {
          messageId: 'aio-empty',
          body: JSON.stringify({
            messageId: 'aio-empty',
            measuredAt: new Date(base).toISOString(),
            readings: [],
          }),
        },
      ]);
      await hub.settled(10_000);

      const perMessage = await readingsPerMessage(homeward!.database, device.id);
      expect(batch.filter(({ messageId }) => perMessage.get(messageId) !== READINGS_PER_MESSAGE)).toEqual([]);
      expect(hub.receipts.get('aio-hub-0')).toEqual([
        { messageId: 'aio-hub-0', status: 'stored' },
        { messageId: 'aio-hub-0', status: 'duplicate' },
      ]);
      expect(batch.slice(1).every(({ messageId }) => hub.receipts.get(messageId)?.length === 1)).toBe(true);
      expect(hub.receipts.get('aio-empty')).toEqual([
        { messageId: 'aio-empty', status: 'rejected', reason: 'schema_violation' },
      ]);
    } finally {
      await hub.close();
    }
  });

  it('records a payload between the contract limit and the packet limit as payload_too_large', async () => {
    const [device] = homeward.devices;
    const client = await connectDevice(printedMqttUrl(homeward.app), device);
    const payload = padded('medium-32kib', 32 * 1024);
    expect(payload.length).toBeGreaterThan(DEVICE_CONTRACT.maxPayloadBytes);
    await client.publishAsync(readingsTopic(device.id), payload, { qos: 1 });
    await client.endAsync();
    // The PUBACK came after the commit: the rejection is there already.
    const { rows } = await homeward.database.pool.query<{
      reason: string;
      detail: string;
      device_ref: string;
    }>('SELECT reason, detail, device_ref FROM reading_rejections WHERE payload_bytes = $1', [
      payload.length,
    ]);
    expect(rows).toEqual([
      {
        reason: 'payload_too_large',
        detail: `payload is ${payload.length} bytes; the limit is ${DEVICE_CONTRACT.maxPayloadBytes}`,
        device_ref: device.id,
      },
    ]);
    expect(
      await count(homeward.database, "SELECT count(*) AS n FROM readings WHERE message_id = 'medium-32kib'"),
    ).toBe(0);
  });

  it('listens on loopback only by default, and on every interface with MQTT_BIND_HOST=0.0.0.0', async () => {
    // A refused connection proves something only if the same address is reachable when the
    // broker binds every interface: so probe the machine's own non-loopback addresses (or,
    // without any, 127.0.0.2: loopback, yet not the bound 127.0.0.1) on both processes.
    const external = Object.values(networkInterfaces())
      .flatMap((addresses) => addresses ?? [])
      .filter((address) => !address.internal);
    const externalV4 = external.filter((address) => address.family === 'IPv4').map((a) => a.address);
    const addresses = externalV4.length > 0 ? externalV4 : ['127.0.0.2'];
    // Link-local IPv6 needs a scope id to be dialled; the others are probed as they are.
    const externalV6 = external
      .filter((address) => address.family === 'IPv6' && address.scopeid === 0)
      .map((a) => a.address);
    const port = mqttPortOf(printedMqttUrl(homeward.app));
    expect(await tcpProbe('127.0.0.1', port)).toBe('connected');
    for (const address of [...addresses, ...externalV6, '::1'])
      expect([address, await tcpProbe(address, port)]).toEqual([address, 'ECONNREFUSED']);

    wildcard = await startHomeward({ MQTT_BIND_HOST: '0.0.0.0' });
    const url = printedMqttUrl(wildcard.app);
    expect(url).toMatch(/^mqtt:\/\/localhost:\d+$/);
    const wildcardPort = mqttPortOf(url);
    for (const address of addresses) {
      const client = await connectDevice(`mqtt://${address}:${wildcardPort}`, wildcard.devices[0]);
      await client.publishAsync(readingsTopic(wildcard.devices[0].id), bpMessage(`via-${address}`, 131, 84), {
        qos: 1,
      });
      await client.endAsync();
    }
    // The printed URL works for devices on this machine too.
    const local = await connectDevice(url, wildcard.devices[0]);
    await local.publishAsync(readingsTopic(wildcard.devices[0].id), bpMessage('via-printed-url', 131, 84), {
      qos: 1,
    });
    await local.endAsync();
    expect(
      await count(
        wildcard.database,
        `SELECT count(DISTINCT message_id) AS n FROM readings WHERE device_id = $1 AND ${LIVE}`,
        [wildcard.devices[0].id],
      ),
    ).toBe(addresses.length + 1);
  });
});
