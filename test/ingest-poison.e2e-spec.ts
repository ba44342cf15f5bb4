import type { MqttClient } from 'mqtt';
import type { PoolClient } from 'pg';
import { TestStack, freePort, registerDevices, sleep, waitFor } from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from './mqtt-helpers';

/** One bad message, or a database that stops answering, must not stop every patient's monitoring. */
describe('ingest under poison messages and a stuck database', () => {
  let stack: TestStack;
  let opsPort: number;
  let poisoner: MqttClient;
  let healthy: MqttClient;
  let poisonDevice: string;
  let healthyDevice: string;

  const count = async (sql: string) =>
    Number((await stack.database.pool.query<{ count: string }>(sql)).rows[0].count);
  const ready = async () => {
    const response = await fetch(`http://127.0.0.1:${opsPort}/health/ready`);
    return { status: response.status, body: (await response.json()) as { details: Record<string, unknown> } };
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };

  beforeAll(async () => {
    opsPort = await freePort();
    stack = await TestStack.start({
      apps: ['api', 'ingest'],
      env: { INGEST_STUCK_AFTER_MS: '1500' },
      appEnv: { ingest: { OPS_PORT: String(opsPort) } },
    });
    const [a, b] = await registerDevices(stack, ['bp_cuff', 'scale']);
    poisonDevice = a.id;
    healthyDevice = b.id;
    poisoner = await connectDevice(stack.broker.url, a);
    healthy = await connectDevice(stack.broker.url, b);
  });

  afterAll(async () => {
    await poisoner?.endAsync();
    await healthy?.endAsync();
    await stack?.stop();
  });

  it('keeps storing every other message after NUL characters arrive, also across an ingest restart', async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    await publishRaw(
      poisoner,
      poisonDevice,
      `{"messageId":"nul\\u0000id","measuredAt":"${at}","readings":[]}`,
    );
    await publishRaw(
      poisoner,
      poisonDevice,
      `{"messageId":"nul-field","measuredAt":"${at}","readings":[{"type":"heart_rate","value":70,"unit":"/min"}],"x\\u0000":1}`,
    );
    for (let i = 0; i < 20; i++)
      await publishRaw(
        healthy,
        healthyDevice,
        bpMessage(`after-poison-${i}`, 120, 80, new Date(Date.now() - 30_000 + i)),
      );
    await waitFor(
      async () =>
        (await count("SELECT count(*) FROM readings WHERE message_id LIKE 'after-poison-%'")) === 60,
      {
        what: 'the 20 valid messages stored',
      },
    );
    expect(await count("SELECT count(*) FROM reading_rejections WHERE reason = 'invalid_characters'")).toBe(
      2,
    );

    // Nothing poisoned is left in the broker session to be redelivered after a restart.
    await stack.app('ingest').kill();
    await stack.app('ingest').start('Homeward ingest consuming');
    await publishRaw(
      healthy,
      healthyDevice,
      bpMessage('after-restart', 120, 80, new Date(Date.now() - 1000)),
    );
    await waitFor(
      async () => (await count("SELECT count(*) FROM readings WHERE message_id = 'after-restart'")) === 3,
      {
        what: 'a message after the restart stored',
      },
    );
    expect(await count("SELECT count(*) FROM reading_rejections WHERE reason = 'invalid_characters'")).toBe(
      2,
    );
  });

  it('sets aside a message the database refuses and stores the rest', async () => {
    await stack.database.pool.query(
      "ALTER TABLE readings ADD CONSTRAINT e2e_poison CHECK (message_id <> 'refused-3')",
    );
    try {
      for (let i = 0; i < 10; i++)
        await publishRaw(
          healthy,
          healthyDevice,
          bpMessage(`refused-${i}`, 120, 80, new Date(Date.now() - 20_000 + i)),
        );
      await waitFor(
        async () => (await count("SELECT count(*) FROM readings WHERE message_id LIKE 'refused-%'")) === 27,
        {
          what: 'the 9 storable messages stored',
        },
      );
      await waitFor(
        async () =>
          (await count(
            "SELECT count(*) FROM reading_rejections WHERE reason = 'processing_failed' AND message_id = 'refused-3'",
          )) === 1,
        { what: 'the refused message set aside' },
      );
    } finally {
      await stack.database.pool.query('ALTER TABLE readings DROP CONSTRAINT e2e_poison');
    }
  });

  it('reports a stuck consumer through readiness and the oldest-held-message metric, and recovers', async () => {
    expect((await ready()).status).toBe(200);
    // Another session holds the table: ingest's inserts wait, and its messages age unacknowledged.
    let locker: PoolClient | undefined = await stack.database.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE readings IN ACCESS EXCLUSIVE MODE');
      await publishRaw(
        healthy,
        healthyDevice,
        bpMessage('while-stuck', 120, 80, new Date(Date.now() - 1000)),
      );
      await waitFor(async () => (await ready()).status === 503, {
        what: 'readiness to fail',
        timeoutMs: 10_000,
      });
      const { body } = await ready();
      expect(body.details.ingest).toMatchObject({ status: 'down' });
      expect(await metric('homeward_ingest_oldest_held_message_age_seconds')).toBeGreaterThan(1.5);
      expect(await metric('homeward_ingest_held_messages')).toBeGreaterThanOrEqual(1);
      await locker.query('ROLLBACK');
      locker.release();
      locker = undefined;
      await waitFor(
        async () => (await count("SELECT count(*) FROM readings WHERE message_id = 'while-stuck'")) === 3,
        {
          what: 'the held message stored once the lock is gone',
        },
      );
      await waitFor(async () => (await ready()).status === 200, { what: 'readiness to recover' });
      expect(await metric('homeward_ingest_oldest_held_message_age_seconds')).toBe(0);
    } finally {
      if (locker) {
        await locker.query('ROLLBACK').catch(() => undefined);
        locker.release();
      }
      await sleep(0);
    }
  });
});
