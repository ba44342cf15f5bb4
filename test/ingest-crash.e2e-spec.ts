import { connect, type MqttClient } from 'mqtt';
import { TestStack, freePort, registerDevices, sleep, waitFor } from '@homeward/testing';
import { bpMessage } from './mqtt-helpers';

const MESSAGES = 3000;
const READINGS_PER_MESSAGE = 3;

describe('ingest killed mid-stream', () => {
  let stack: TestStack;
  let publisher: MqttClient;
  let deviceId: string;
  let opsPort: number;

  beforeAll(async () => {
    opsPort = await freePort();
    // A long flush keeps many received-but-uncommitted messages in the process when it is
    // killed: acknowledging any of them early would lose them, and this test would see it.
    stack = await TestStack.start({
      apps: ['api', 'ingest'],
      env: { INGEST_FLUSH_MS: '200' },
      appEnv: { ingest: { OPS_PORT: String(opsPort) } },
    });
    const [device] = await registerDevices(stack, ['bp_cuff']);
    deviceId = device.id;
    publisher = connect(stack.broker.url, {
      clientId: `device-${device.id}`,
      username: device.id,
      password: device.secret,
      protocolVersion: 4,
    });
    await new Promise((resolve) => publisher.once('connect', resolve));
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await stack?.stop();
  });

  it('loses no acknowledged reading and stores none twice after SIGKILL and restart', async () => {
    const ingest = stack.app('ingest');
    const base = Date.now() - 3_600_000;
    let acknowledged = 0;
    let killedAt = -1;
    const publishing = (async () => {
      for (let i = 0; i < MESSAGES; i++) {
        await publisher.publishAsync(
          `v1/devices/${deviceId}/readings`,
          bpMessage(`crash-${i}`, 120 + (i % 30), 80, new Date(base + i * 1000)),
          { qos: 1 },
        );
        acknowledged += 1;
        if (i % 50 === 0) await sleep(5);
      }
    })();

    // Kill once part of the stream is committed, while messages are still arriving.
    await waitFor(
      async () =>
        Number((await stack.database.pool.query('SELECT count(*) FROM readings')).rows[0].count) > 600,
      {
        what: 'part of the stream stored',
        intervalMs: 5,
      },
    );
    killedAt = acknowledged;
    await ingest.kill();
    const storedAtKill = Number(
      (await stack.database.pool.query('SELECT count(*) FROM readings')).rows[0].count,
    );
    await sleep(500);
    await ingest.start('Homeward ingest consuming');
    await publishing;

    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(MESSAGES);
    expect(storedAtKill).toBeLessThan(MESSAGES * READINGS_PER_MESSAGE);
    const expected = MESSAGES * READINGS_PER_MESSAGE;
    await waitFor(
      async () =>
        Number((await stack.database.pool.query('SELECT count(*) FROM readings')).rows[0].count) >= expected,
      {
        what: 'every acknowledged reading stored',
        timeoutMs: 30_000,
      },
    );
    const { rows } = await stack.database.pool.query<{ total: string; distinct_messages: string }>(
      'SELECT count(*) AS total, count(DISTINCT message_id) AS distinct_messages FROM readings',
    );
    expect(Number(rows[0].total)).toBe(expected);
    expect(Number(rows[0].distinct_messages)).toBe(MESSAGES);
    expect(
      Number((await stack.database.pool.query('SELECT count(*) FROM reading_rejections')).rows[0].count),
    ).toBe(0);
  });

  it('reports readiness and its counters on the ingest process’s ops port', async () => {
    const ready = await fetch(`http://127.0.0.1:${opsPort}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      details: {
        database: { status: 'up' },
        redis: { status: 'up' },
        mqtt: { status: 'up' },
        ingest: { status: 'up' },
      },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    const accepted = /homeward_ingest_messages_total\{outcome="accepted"\} (\d+)/.exec(metrics);
    expect(Number(accepted?.[1])).toBeGreaterThan(0);
    expect(metrics).toContain('homeward_ingest_batch_commit_seconds_bucket');
  });
});
