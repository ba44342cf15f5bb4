import {
  AppProcess,
  READY_LINES,
  TcpProxy,
  TestStack,
  freePort,
  registerDevices,
  sleep,
  waitFor,
  type RegisteredTestDevice,
} from '@homeward/testing';
import { ReceiptingDevice, type BufferedMessage } from './mqtt-helpers';

const READY = READY_LINES.ingest;
const MAX_HELD = 600;

/**
 * Durability as a device sees it: every QoS 1 message it publishes is stored exactly once and
 * answered with a receipt, whatever fails on the way: the broker, PostgreSQL, the ingest
 * process. The devices keep their side of the contract (ReceiptingDevice): they trust
 * receipts, not PUBACKs, and resend what has none after a reconnect or a timeout.
 */
describe('ingest durability, as devices see it through their receipts', () => {
  let stack: TestStack;
  let ingest: AppProcess;
  let database: TcpProxy;
  let ingestDatabaseUrl: string;
  let opsPort: number;
  let devices: RegisteredTestDevice[];
  const connected: ReceiptingDevice[] = [];

  const count = async (sql: string, values: unknown[] = []) =>
    Number((await stack.database.pool.query<{ count: string }>(sql, values)).rows[0].count);
  const storedMessages = (deviceId: string) =>
    count('SELECT count(*) FROM device_messages WHERE device_id = $1', [deviceId]);

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { INGEST_FLUSH_MS: '50' } });
    devices = await registerDevices(stack, ['scale', 'scale', 'scale', 'scale', 'hub', 'hub', 'scale']);
    // Ingest reaches PostgreSQL through a relay the suite can take down, for it alone.
    const url = new URL(stack.database.url);
    database = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${database.port}`;
    ingestDatabaseUrl = url.toString();
    opsPort = await freePort();
    ingest = new AppProcess('ingest', {
      ...stack.env(),
      DATABASE_URL: ingestDatabaseUrl,
      OPS_PORT: String(opsPort),
      INGEST_MAX_HELD: String(MAX_HELD),
    });
    stack.apps.set('ingest', ingest);
    await ingest.start(READY);
  });

  afterAll(async () => {
    await Promise.all(connected.map((device) => device.close()));
    await stack?.stop();
    await database?.stop();
  });

  const device = async (index: number, hubBatchSize = 0, resendAfterMs = 5000) => {
    const client = await ReceiptingDevice.connect(stack.broker.url, devices[index], {
      hubBatchSize,
      resendAfterMs,
    });
    connected.push(client);
    return client;
  };

  /** Body-weight messages measured over the last minutes: not late, all distinct. */
  const messages = (prefix: string, total: number): BufferedMessage[] => {
    const base = Date.now() - 10 * 60_000;
    return Array.from({ length: total }, (_, i) => ({
      messageId: `${prefix}-${i}`,
      body: JSON.stringify({
        messageId: `${prefix}-${i}`,
        measuredAt: new Date(base + i).toISOString(),
        readings: [{ type: 'body_weight', value: 60 + (i % 400) / 10, unit: 'kg' }],
      }),
    }));
  };

  /** Sends in chunks, as a device streaming readings does, until `total` are sent. */
  const stream = async (client: ReceiptingDevice, all: BufferedMessage[], chunk = 50, pauseMs = 10) => {
    for (let i = 0; i < all.length; i += chunk) {
      client.send(all.slice(i, i + chunk));
      await sleep(pauseMs);
    }
  };

  /** Every message stored exactly once, and a stored or duplicate receipt for each, none rejected. */
  const expectEachStoredOnceWithReceipt = async (client: ReceiptingDevice, sent: BufferedMessage[]) => {
    try {
      await client.settled(60_000);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}; ${await storedMessages(client.deviceId)} stored, ${await heldNow().catch(() => -1)} held`,
      );
    }
    const { rows } = await stack.database.pool.query<{ message_id: string; readings: string }>(
      'SELECT message_id, count(*) AS readings FROM readings WHERE device_id = $1 GROUP BY message_id',
      [client.deviceId],
    );
    const perMessage = new Map(rows.map((row) => [row.message_id, Number(row.readings)]));
    expect(perMessage.size).toBe(sent.length);
    expect(sent.filter(({ messageId }) => perMessage.get(messageId) !== 1)).toEqual([]);
    expect(await storedMessages(client.deviceId)).toBe(sent.length);
    const unanswered = sent.filter(
      ({ messageId }) =>
        !client.receipts.get(messageId)?.some(({ status }) => status === 'stored' || status === 'duplicate'),
    );
    expect(unanswered).toEqual([]);
    const rejected = [...client.receipts.values()].flat().filter(({ status }) => status === 'rejected');
    expect(rejected).toEqual([]);
    expect(
      await count('SELECT count(*) FROM reading_rejections WHERE device_ref = $1', [client.deviceId]),
    ).toBe(0);
  };

  const heldNow = async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    return Number(/^homeward_ingest_held_messages (\d+)$/m.exec(metrics)?.[1] ?? 0);
  };

  it('stores every message once and receipts it when Mosquitto is restarted, then killed, mid-stream', async () => {
    const client = await device(0);
    const sent = messages('broker', 2000);
    const streaming = stream(client, sent);
    // SIGTERM: the broker saves and restores every session, ingest's shared subscription too.
    // SIGKILL: it loses what it acknowledged since its last autosave (mosquitto.conf(5)); only the
    // devices' resends, driven by missing receipts, can bring that back.
    for (const [threshold, signal] of [
      [400, 'SIGTERM'],
      [1200, 'SIGKILL'],
    ] as const) {
      await waitFor(async () => (await storedMessages(client.deviceId)) > threshold, {
        what: `${threshold} messages stored`,
        intervalMs: 20,
      });
      await stack.broker.restart(signal, 300);
    }
    await streaming;
    await expectEachStoredOnceWithReceipt(client, sent);
    expect(client.resendRounds).toBeGreaterThan(0);
  });

  it('stores every message once and receipts it when PostgreSQL drops every connection mid-stream, twice', async () => {
    const client = await device(1);
    const sent = messages('pg-drop', 2000);
    const streaming = stream(client, sent);
    for (const threshold of [400, 1200]) {
      await waitFor(async () => (await storedMessages(client.deviceId)) > threshold, {
        what: `${threshold} messages stored`,
        intervalMs: 20,
      });
      const { rowCount } = await stack.database.pool.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(rowCount).toBeGreaterThan(0);
    }
    await streaming;
    await expectEachStoredOnceWithReceipt(client, sent);
    expect(ingest.running).toBe(true);
    // Logged either way: by the pool for a connection that was idle, by the commit's retry for
    // one that was in use (at full speed every connection may be busy when it is terminated).
    expect(ingest.log).toMatch(
      /PostgreSQL connection lost|terminating connection due to administrator command.*Commit failed; retrying/,
    );
  });

  it('stores every message once and receipts it when ingest is SIGKILLed mid-batch and restarted', async () => {
    const client = await device(2);
    const sent = messages('kill', 2000);
    const streaming = stream(client, sent);
    await waitFor(async () => (await storedMessages(client.deviceId)) > 500, {
      what: 'part of the stream stored',
      intervalMs: 10,
    });
    const heldAtKill = await heldNow();
    await ingest.kill();
    const storedAtKill = await storedMessages(client.deviceId);
    await sleep(500);
    await ingest.start(READY);
    await streaming;
    await expectEachStoredOnceWithReceipt(client, sent);
    expect(storedAtKill).toBeLessThan(sent.length);
    console.info(`ingest SIGKILL: ${heldAtKill} held at the kill, ${storedAtKill} stored`);
  });

  it('stores a hub backlog of 5,000 messages in 10 batches of 500 arriving at once, each once, each receipted', async () => {
    const hubs = [await device(4, 500, 20_000), await device(5, 500, 20_000)];
    const backlogs = [messages('hub-a', 3000), messages('hub-b', 2000)];
    const started = Date.now();
    hubs[0].send(backlogs[0]);
    hubs[1].send(backlogs[1]);
    await Promise.all(hubs.map((hub) => hub.settled(60_000)));
    const elapsedMs = Date.now() - started;
    await expectEachStoredOnceWithReceipt(hubs[0], backlogs[0]);
    await expectEachStoredOnceWithReceipt(hubs[1], backlogs[1]);
    // Nothing had to be resent: each message was sent once and receipted once, as stored.
    for (const hub of hubs) {
      expect(hub.resendRounds).toBe(0);
      expect([...hub.receipts.values()].every((r) => r.length === 1 && r[0].status === 'stored')).toBe(true);
    }
    console.info(`hub backlog: 5,000 messages stored and receipted in ${elapsedMs} ms`);
  });

  it('holds at most INGEST_MAX_HELD while PostgreSQL is down, and stores everything once it is back', async () => {
    const client = await device(3, 0, 30_000);
    const sent = messages('pg-down', 3 * MAX_HELD);
    await database.down();
    try {
      await stream(client, sent, 100, 5);
      // More than INGEST_MAX_HELD published: the consumer stops reading at the limit.
      await waitFor(async () => (await heldNow()) >= MAX_HELD - 100, {
        what: 'ingest holding up to its limit',
        timeoutMs: 15_000,
      });
      await sleep(1000);
      expect(await heldNow()).toBeLessThanOrEqual(MAX_HELD);
      expect(ingest.running).toBe(true);
    } finally {
      await database.up();
    }
    await expectEachStoredOnceWithReceipt(client, sent);
    expect(client.resendRounds).toBe(0);
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    expect(
      Number(/homeward_ingest_receipts_total\{result="published"\} (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThan(sent.length);
  });

  // Last: it replaces the suite's ingest with one that holds messages for seconds.
  it('commits what it holds when stopped with SIGTERM, so nothing is redelivered to the next ingest', async () => {
    await ingest.stop();
    const slowFlush = new AppProcess('ingest', {
      ...stack.env(),
      DATABASE_URL: ingestDatabaseUrl,
      OPS_PORT: String(opsPort),
      INGEST_FLUSH_MS: '5000',
    });
    stack.apps.set('ingest', slowFlush);
    await slowFlush.start(READY);
    const client = await device(6, 0, 30_000);
    const sent = messages('drain', 100);
    client.send(sent);
    // All 100 held, none committed: the batch waits for its 5 s flush.
    await waitFor(async () => (await heldNow()) === sent.length, { what: 'the messages held' });
    expect(await count("SELECT count(*) FROM device_messages WHERE message_id LIKE 'drain-%'")).toBe(0);

    await slowFlush.stop();
    expect(await count("SELECT count(*) FROM device_messages WHERE message_id LIKE 'drain-%'")).toBe(
      sent.length,
    );
    expect(slowFlush.log).not.toContain('Final commit at shutdown failed');

    await slowFlush.start(READY);
    await expectEachStoredOnceWithReceipt(client, sent);
    await sleep(1000);
    // Acknowledged at shutdown: the broker redelivered none of them, so none was a duplicate.
    const statuses = [...client.receipts.values()].flat().map(({ status }) => status);
    expect(statuses.filter((status) => status !== 'stored')).toEqual([]);
    expect(statuses).toHaveLength(sent.length);
  });
});
