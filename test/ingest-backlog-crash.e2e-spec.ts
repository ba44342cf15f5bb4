import type { MqttClient } from 'mqtt';
import { readingsTopic } from '@homeward/contracts';
import { TestStack, freePort, registerDevices, sleep, waitFor } from '@homeward/testing';
import { connectDevice } from './mqtt-helpers';

/**
 * At least this many, at PUBLISH_RATE: the device keeps publishing until the last kill, so each
 * kill meets a backlog however fast ingest drains it, and the broker's queue stays far below its
 * limit (docker/mosquitto/conf.d: a million messages), past which it would drop what it acknowledged.
 */
const MESSAGES = 50_000;
const PUBLISH_RATE = 5_000;
/** Publishes awaiting their PUBACK at once, as a device fleet's gateway might have. */
const PUBLISH_WINDOW = 200;
const MAX_HELD = 1000;
/**
 * The device pauses while this many of its acknowledged messages are not yet stored: every kill
 * still meets a backlog, and a slow machine's restarts do not face hundreds of thousands.
 */
const MAX_BACKLOG = 30_000;
/** A restart meets the broker resending its backlog: a loaded machine needs longer than the usual 30 s. */
const RESTART_TIMEOUT_MS = 90_000;
const KILLS = 4;
const READY = 'Homeward ingest consuming';
/** Kill times and downtimes are drawn from this seed: set BACKLOG_CRASH_SEED to replay a run. */
const SEED = Number(process.env.BACKLOG_CRASH_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: a small seeded generator, so that a failing schedule can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A backlog in the broker, and ingest killed while it drains it. Mosquitto 2.0.11 lets far more
 * than the consumer's receiveMaximum into flight once messages are queued, and resends every
 * in-flight message on reconnect: only the consumer's own bound (INGEST_MAX_HELD) limits what
 * it holds, and only acknowledging after commit keeps a SIGKILL from losing what it held.
 */
describe('ingest killed repeatedly while a 50,000-message backlog drains', () => {
  let stack: TestStack;
  let device: MqttClient;
  let deviceId: string;
  let opsPort: number;

  const count = async (sql: string) =>
    Number((await stack.database.pool.query<{ count: string }>(sql)).rows[0].count);

  beforeAll(async () => {
    opsPort = await freePort();
    stack = await TestStack.start({
      apps: ['api', 'ingest'],
      env: { INGEST_MAX_HELD: String(MAX_HELD) },
      appEnv: { ingest: { OPS_PORT: String(opsPort) } },
    });
    const [scale] = await registerDevices(stack, ['scale']);
    deviceId = scale.id;
    device = await connectDevice(stack.broker.url, scale);
  });

  afterAll(async () => {
    await device?.endAsync();
    await stack?.stop();
  });

  it(`stores every acknowledged message exactly once across ${KILLS} SIGKILLs, holding at most INGEST_MAX_HELD (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const ingest = stack.app('ingest');
    const topic = readingsTopic(deviceId);
    const base = Date.now() - 3_600_000;

    // 1. The held-messages gauge, sampled from the ops port whenever ingest answers.
    let peakHeld = 0;
    let lastHeld = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          const metrics = await (
            await fetch(`http://127.0.0.1:${opsPort}/metrics`, { signal: AbortSignal.timeout(1000) })
          ).text();
          const held = /^homeward_ingest_held_messages (\d+)$/m.exec(metrics);
          if (held) {
            lastHeld = Number(held[1]);
            peakHeld = Math.max(peakHeld, lastHeld);
          }
        } catch {
          lastHeld = 0; // ingest is down: nothing to sample
        }
        await sleep(20);
      }
    })();

    // 2. The device publishes as fast as the broker acknowledges, counting every PUBACK, until
    //    the kills are over (a faster ingest drained a fixed count before the last kills), and
    //    pauses while the backlog is at MAX_BACKLOG.
    let stored = 0;
    const counting = (async () => {
      while (sampling) {
        stored = await count('SELECT count(*) FROM device_messages').catch(() => stored);
        await sleep(200);
      }
    })();
    let acknowledged = 0;
    let next = 0;
    let killing = true;
    const publishingFrom = Date.now();
    const publishOne = async () => {
      while (killing || next < MESSAGES) {
        while (killing && acknowledged - stored >= MAX_BACKLOG) await sleep(50);
        const i = next++;
        const due = publishingFrom + (i * 1000) / PUBLISH_RATE;
        if (due > Date.now()) await sleep(due - Date.now());
        const body = JSON.stringify({
          messageId: `backlog-${i}`,
          measuredAt: new Date(base + i).toISOString(),
          readings: [{ type: 'body_weight', value: 60 + (i % 400) / 10, unit: 'kg' }],
        });
        await device.publishAsync(topic, body, { qos: 1 });
        acknowledged += 1;
      }
    };
    const publishing = Promise.all(Array.from({ length: PUBLISH_WINDOW }, publishOne));

    // 3. Ingest is killed a random while after each start and stays down a random while, so
    //    the broker's backlog grows and the restarted consumer is handed all it had in flight.
    const kills: Array<{
      afterMs: number;
      downMs: number;
      acknowledged: number;
      stored: number;
      held: number;
    }> = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        const afterMs = Math.round(300 + random() * 1200);
        const downMs = Math.round(200 + random() * 1000);
        await sleep(afterMs);
        const held = lastHeld;
        await ingest.kill();
        kills.push({
          afterMs,
          downMs,
          acknowledged,
          stored: await count('SELECT count(*) FROM device_messages'),
          held,
        });
        await sleep(downMs);
        await ingest.start(READY, RESTART_TIMEOUT_MS);
      }
      killing = false;
      await publishing;
      await waitFor(async () => (await count('SELECT count(*) FROM readings')) >= acknowledged, {
        what: 'every acknowledged message stored',
        timeoutMs: 45_000,
        intervalMs: 250,
      });
    } finally {
      killing = false;
      sampling = false;
      await Promise.all([sampler, counting]);
      console.info(
        `ingest backlog crash: seed ${SEED}, ${acknowledged} acknowledged, peak held ${peakHeld} (max ${MAX_HELD}), kills ${JSON.stringify(kills)}`,
      );
    }

    // A kill that found nothing held would prove nothing: at least half found messages in the process.
    const telling = kills.filter((kill) => kill.held > 0 && kill.stored < kill.acknowledged);
    expect(telling.length).toBeGreaterThanOrEqual(KILLS / 2);
    expect(acknowledged).toBeGreaterThanOrEqual(MESSAGES);
    const { rows } = await stack.database.pool.query<{ total: string; distinct_messages: string }>(
      'SELECT count(*) AS total, count(DISTINCT message_id) AS distinct_messages FROM readings',
    );
    expect(Number(rows[0].total)).toBe(acknowledged);
    expect(Number(rows[0].distinct_messages)).toBe(acknowledged);
    expect(await count('SELECT count(*) FROM device_messages')).toBe(acknowledged);
    expect(await count('SELECT count(*) FROM reading_rejections')).toBe(0);
    expect(peakHeld).toBeGreaterThan(0);
    expect(peakHeld).toBeLessThanOrEqual(MAX_HELD);
  }, 420_000);
});
