import { randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { connect, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import { DynamicSecurityClient, createRedis, packetLogUnlessDebugging } from '@homeward/platform';
import type { BenchEnv } from './bench-env';
import { copyFrom } from './copy-in';
import { READING_COPY_COLUMNS } from './seed-plan';

/** What the platform's stores and broker do with no application in between, on this machine now. */
export interface CeilingFigures {
  copyRowsPerSecond: number;
  mqttMessagesPerSecond: number;
  bullmqJobsPerSecond: number;
}

const SIZES = {
  quick: { copyRows: 100_000, mqttMessages: 20_000, bullmqJobs: 20_000 },
  full: { copyRows: 1_000_000, mqttMessages: 200_000, bullmqJobs: 200_000 },
};

/**
 * The three ceilings the application figures are divided by, one after the other so they do
 * not share the two cores: COPY into the readings table, raw QoS 1 publish → subscribe through
 * the broker, and BullMQ add → process. Each removes what it created.
 */
export async function measureCeilings(env: BenchEnv, options: { quick: boolean }): Promise<CeilingFigures> {
  const size = options.quick ? SIZES.quick : SIZES.full;
  const copyRowsPerSecond = await measureCopy(env.databaseUrl, size.copyRows);
  const mqttMessagesPerSecond = await measureMqtt(env, size.mqttMessages);
  const bullmqJobsPerSecond = await measureBullmq(env.redisUrl, size.bullmqJobs);
  return { copyRowsPerSecond, mqttMessagesPerSecond, bullmqJobsPerSecond };
}

/** Long enough for anything near the reference figures; a stall fails in seconds, not minutes. */
const timeoutMs = (items: number) => Math.max(30_000, items);

/** `promise`, or a rejection saying `what` happened when it takes longer than `ms`. */
export async function within(promise: Promise<void>, ms: number, what: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const COPY_CHUNK_ROWS = 10_000;

/** Messages per ingest batch (INGEST_BATCH_SIZE's default), and the devices sending them. */
const COPY_BATCH_MESSAGES = 1_000;
const COPY_DEVICES = 1_000;

/**
 * `COPY readings FROM STDIN` of `rows` rows shaped as ingest stores them (three values per
 * message, recent times, `COPY_DEVICES` devices, a batch id per `COPY_BATCH_MESSAGES`), with every index and (on TimescaleDB) the hypertable in
 * place. The text is built before the clock starts: this is the database's ceiling, not Node's.
 * It leaves out the device_messages ledger, which the application also writes per message.
 */
export async function measureCopy(databaseUrl: string, rows: number): Promise<number> {
  const patients = Array.from({ length: COPY_DEVICES }, () => randomUUID());
  const devices = Array.from({ length: COPY_DEVICES }, () => randomUUID());
  const types = [
    ['blood_pressure_systolic', '8480-6', 'mm[Hg]', 128],
    ['blood_pressure_diastolic', '8462-4', 'mm[Hg]', 82],
    ['heart_rate', '8867-4', '/min', 71],
  ] as const;
  const startMs = Date.now() - 3_600_000;
  const batchIds: string[] = [];
  const chunks: string[] = [];
  let lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    const message = Math.floor(row / types.length);
    if (message % COPY_BATCH_MESSAGES === 0 && row % types.length === 0) batchIds.push(randomUUID());
    const batchId = batchIds[batchIds.length - 1];
    const [type, loinc, unit, value] = types[row % types.length];
    const who = message % patients.length;
    const measuredAt = new Date(startMs + message * 10).toISOString();
    lines.push(
      `${measuredAt}\t${patients[who]}\t${devices[who]}\tceiling-${message}\t${type}\t${loinc}\t${value}\t${unit}\t${value}\t${unit}\t${batchId}\n`,
    );
    if (lines.length === COPY_CHUNK_ROWS) {
      chunks.push(lines.join(''));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(lines.join(''));

  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    const copied = await copyFrom(client, `COPY readings (${READING_COPY_COLUMNS}) FROM STDIN`, chunks);
    const seconds = (performance.now() - started) / 1000;
    if (copied !== rows) throw new Error(`COPY stored ${copied} of ${rows} rows`);
    return copied / seconds;
  } finally {
    await client.query('DELETE FROM readings WHERE batch_id = ANY($1::uuid[])', [batchIds]);
    // The harness measures the application on this table next: leave no dead rows behind.
    await client.query('VACUUM readings');
    await client.end();
  }
}

const MQTT_PUBLISHERS = 4;
const MQTT_IN_FLIGHT = 500;
/**
 * Messages published but not yet received, at most. Without a bound the publishers (acknowledged
 * by the broker, not the subscriber) outrun the subscriber, the broker queues the excess past its
 * max_inflight_messages (2000, conf.d/limits.conf) and its autosaves rewrite the growing store
 * (Mosquitto 2.0 rewrites its whole store at each save): measured here, 31k msg/s over 20,000
 * messages but 7.7k over 200,000. The ceiling is what the broker sustains, so the lag stays
 * under the subscriber's in-flight limit.
 */
const MQTT_WINDOW = 1_000;

interface MqttAccount {
  username?: string;
  password?: string;
  remove(): Promise<void>;
}

/**
 * Who publishes and subscribes. The service account (dynamic-security's admin) may subscribe
 * anywhere but publish only to the control topic, and Mosquitto acknowledges a denied publish
 * and drops it (mosquitto `src/handle_publish.c`); granting it a role would disconnect every
 * connection it holds, ingest's included. So on a dynamic-security broker the benchmark gets a
 * client and role of its own, limited to `root`, removed afterwards. Elsewhere: the account given,
 * or anonymous.
 */
async function benchAccount(env: BenchEnv, runId: string, root: string): Promise<MqttAccount> {
  const given = { username: env.mqttUsername, password: env.mqttPassword, remove: () => Promise.resolve() };
  if (!env.mqttUsername || !env.mqttPassword) return given;
  let dynsec: DynamicSecurityClient;
  try {
    dynsec = await DynamicSecurityClient.connect({
      url: env.mqttUrl,
      username: env.mqttUsername,
      password: env.mqttPassword,
      clientIdPrefix: `bench-ceiling-dynsec-${runId}`,
    });
  } catch {
    return given;
  }
  const name = `homeward-bench-ceiling-${runId}`;
  const password = randomBytes(18).toString('base64url');
  try {
    await dynsec.run({
      command: 'createRole',
      rolename: name,
      acls: [
        { acltype: 'publishClientSend', topic: `${root}/#`, allow: true },
        { acltype: 'subscribePattern', topic: `${root}/#`, allow: true },
      ],
    });
    await dynsec.run({ command: 'createClient', username: name, password, roles: [{ rolename: name }] });
  } catch (error) {
    await dynsec.close();
    throw error;
  }
  return {
    username: name,
    password,
    remove: async () => {
      try {
        await dynsec.execute([
          { command: 'deleteClient', username: name },
          { command: 'deleteRole', rolename: name },
        ]);
      } finally {
        await dynsec.close();
      }
    },
  };
}

async function connectClient(env: BenchEnv, account: MqttAccount, clientId: string): Promise<MqttClient> {
  const client = connect(env.mqttUrl, {
    clientId,
    username: account.username,
    password: account.password,
    clean: true,
    reconnectPeriod: 0,
    // As the platform's own clients: the ceiling and the application pay the same per packet.
    ...packetLogUnlessDebugging(),
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  // Nagle delays each small publish and the acknowledgements behind it (QoS 0 p99 2.3 → 35 ms measured).
  (client.stream as Socket).setNoDelay?.(true);
  return client;
}

/**
 * QoS 1 from several publishers (each with `MQTT_IN_FLIGHT` unacknowledged at once, all together
 * at most `window` ahead of the subscriber) to one subscriber, on a topic outside v1/devices/ so
 * ingest never sees it; from the first publish until the subscriber holds every message. Fails
 * if any message is missing.
 */
export async function measureMqtt(env: BenchEnv, messages: number, window = MQTT_WINDOW): Promise<number> {
  const runId = randomBytes(4).toString('hex');
  const root = `homeward-bench/ceiling/${runId}`;
  const perPublisher = Math.ceil(messages / MQTT_PUBLISHERS);
  const total = perPublisher * MQTT_PUBLISHERS;
  const clients: MqttClient[] = [];
  const account = await benchAccount(env, runId, root);
  try {
    const subscriber = await connectClient(env, account, `bench-ceiling-sub-${runId}`);
    clients.push(subscriber);
    for (let p = 0; p < MQTT_PUBLISHERS; p++)
      clients.push(await connectClient(env, account, `bench-ceiling-pub-${runId}-${p}`));
    const [granted] = await subscriber.subscribeAsync(`${root}/#`, { qos: 1 });
    if (granted.qos !== 1) throw new Error(`MQTT ceiling: subscription refused (${granted.qos})`);

    // QoS 1 may deliver a message twice: count each once.
    const seen = Array.from({ length: MQTT_PUBLISHERS }, () => new Uint8Array(perPublisher));
    let received = 0;
    let published = 0;
    let allReceived!: () => void;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    // Publishers waiting for the subscriber to catch up, woken together at half the window.
    let room: Promise<void> | undefined;
    let wake: (() => void) | undefined;
    subscriber.on('message', (topic, payload) => {
      const publisher = Number(topic.slice(root.length + 1));
      const index = payload.readUInt32BE(0);
      if (seen[publisher][index] === 0) {
        seen[publisher][index] = 1;
        if (++received === total) allReceived();
        if (wake && published - received < window / 2) {
          wake();
          room = wake = undefined;
        }
      }
    });

    // About a device message's size: an id and three readings.
    const body = randomBytes(300);
    const started = performance.now();
    await Promise.all(
      clients.slice(1).map(async (publisher, p) => {
        let next = 0;
        const lane = async () => {
          while (next < perPublisher) {
            while (published - received >= window)
              await (room ??= new Promise((resolve) => (wake = resolve)));
            if (next >= perPublisher) break;
            published++;
            const payload = Buffer.from(body);
            payload.writeUInt32BE(next++, 0);
            await publisher.publishAsync(`${root}/${p}`, payload, { qos: 1 });
          }
        };
        await Promise.all(Array.from({ length: MQTT_IN_FLIGHT }, lane));
      }),
    );
    await within(done, timeoutMs(total), () => `MQTT ceiling: ${received} of ${total} messages arrived`);
    return total / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(clients.map((client) => client.endAsync(true)));
    await account.remove();
  }
}

const BULLMQ_BULK = 500;
const BULLMQ_CONCURRENCY = 100;

/**
 * BullMQ add → process with a no-op processor: jobs added in bulks of `BULLMQ_BULK` while one
 * worker (concurrency `BULLMQ_CONCURRENCY`) runs them, from the first add until the last job
 * completed. Its own queue under its own prefix, obliterated afterwards.
 */
export async function measureBullmq(redisUrl: string, jobs: number): Promise<number> {
  const prefix = `hwbench-ceiling-${randomBytes(4).toString('hex')}`;
  const name = 'bench.ceiling';
  const producer = createRedis(redisUrl);
  const consumer = createRedis(redisUrl);
  const queue = new Queue(name, { connection: producer, prefix });
  let completed = 0;
  let allCompleted!: () => void;
  const done = new Promise<void>((resolve) => (allCompleted = resolve));
  const worker = new Worker(name, () => Promise.resolve(), {
    connection: consumer,
    prefix,
    concurrency: BULLMQ_CONCURRENCY,
    autorun: false,
  });
  worker.on('completed', () => {
    if (++completed === jobs) allCompleted();
  });
  try {
    void worker.run();
    await worker.waitUntilReady();
    const started = performance.now();
    for (let from = 0; from < jobs; from += BULLMQ_BULK) {
      const count = Math.min(BULLMQ_BULK, jobs - from);
      await queue.addBulk(
        Array.from({ length: count }, (_, i) => ({
          name,
          data: { n: from + i },
          opts: { removeOnComplete: true, removeOnFail: true },
        })),
      );
    }
    await within(done, timeoutMs(jobs), () => `BullMQ ceiling: ${completed} of ${jobs} jobs completed`);
    return jobs / ((performance.now() - started) / 1000);
  } finally {
    // Workers before queues (STYLE, habit 7).
    await worker.close(true);
    await queue.obliterate({ force: true });
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
  }
}
