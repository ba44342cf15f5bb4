import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect, type MqttClient } from 'mqtt';
import { readingsTopic } from '@homeward/contracts';
import {
  AppProcess,
  READY_LINES,
  TEST_REDIS_URL,
  createTestDatabase,
  deleteRedisKeys,
  startMosquitto,
} from '@homeward/testing';

/**
 * End-to-end ingest benchmark: device messages published QoS 1 to a real Mosquitto, consumed
 * by the real ingest process with held acknowledgements, committed to PostgreSQL. Prints
 * throughput and the ingest process's peak memory; asserts nothing.
 * Sizes: BENCH_MESSAGES (default 60000), BENCH_PUBLISHERS (4), BENCH_WINDOW in-flight per publisher (500).
 */
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 60_000);
const PUBLISHERS = Number(process.env.BENCH_PUBLISHERS ?? 4);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 500);

async function main(): Promise<void> {
  const [database, broker] = await Promise.all([createTestDatabase(), startMosquitto()]);
  const prefix = `hwbench-${randomBytes(4).toString('hex')}`;
  const ingest = new AppProcess('ingest', {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    MQTT_URL: broker.url,
    MQTT_CLIENT_ID: `ingest-bench-${prefix}`,
    MQTT_SHARE_GROUP: `bench${prefix.slice(8)}`,
    INGEST_BATCH_SIZE: process.env.INGEST_BATCH_SIZE ?? '1000',
    INGEST_FLUSH_MS: process.env.INGEST_FLUSH_MS ?? '20',
    INGEST_MAX_HELD: process.env.INGEST_MAX_HELD ?? '4000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  });
  const clients: MqttClient[] = [];
  try {
    const pool = database.pool;
    const org = (
      await pool.query<{ id: string }>(
        "INSERT INTO organizations (slug, name) VALUES ('bench', 'Bench') RETURNING id",
      )
    ).rows[0].id;
    const patient = (
      await pool.query<{ id: string }>(
        "INSERT INTO patients (organization_id, given_name, family_name, birth_date) VALUES ($1, 'Bench', 'Patient', '1950-01-01') RETURNING id",
        [org],
      )
    ).rows[0].id;
    // Without consent to monitoring every reading would be rejected (no_consent).
    await pool.query(
      "INSERT INTO patient_consents (organization_id, patient_id, scope, method, given_at) VALUES ($1, $2, 'rpm_monitoring', 'verbal', now())",
      [org, patient],
    );
    const devices: string[] = [];
    for (let i = 0; i < PUBLISHERS; i++) {
      const secretHash = createHash('sha256').update('bench').digest();
      devices.push(
        (
          await pool.query<{ id: string }>(
            "INSERT INTO devices (organization_id, patient_id, kind, secret_hash) VALUES ($1, $2, 'bp_cuff', $3) RETURNING id",
            [org, patient, secretHash],
          )
        ).rows[0].id,
      );
    }
    await ingest.start(READY_LINES.ingest);

    for (const id of devices) {
      const client = connect(broker.url, { clientId: `device-${id}`, protocolVersion: 4 });
      await new Promise((resolve) => client.once('connect', resolve));
      (client.stream as Socket).setNoDelay?.(true);
      clients.push(client);
    }
    const now = Date.now();
    const perPublisher = Math.ceil(MESSAGES / PUBLISHERS);
    const payload = (device: number, i: number) =>
      JSON.stringify({
        messageId: `b${device}-${i}`,
        measuredAt: new Date(now - 86_400_000 + i).toISOString(),
        readings: [
          { type: 'blood_pressure_systolic', value: 110 + (i % 60), unit: 'mm[Hg]' },
          { type: 'blood_pressure_diastolic', value: 70 + (i % 30), unit: 'mm[Hg]' },
          { type: 'heart_rate', value: 60 + (i % 40), unit: '/min' },
        ],
      });

    const started = process.hrtime.bigint();
    await Promise.all(
      clients.map(async (client, d) => {
        const topic = readingsTopic(devices[d]);
        let next = 0;
        const lane = async () => {
          while (next < perPublisher) await client.publishAsync(topic, payload(d, next++), { qos: 1 });
        };
        await Promise.all(Array.from({ length: WINDOW }, lane));
      }),
    );
    const published = process.hrtime.bigint();
    const expected = perPublisher * PUBLISHERS * 3;
    for (;;) {
      const stored = Number((await pool.query('SELECT count(*) FROM readings')).rows[0].count);
      if (stored >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stored = process.hrtime.bigint();
    const seconds = (to: bigint) => Number(to - started) / 1e9;
    const messages = perPublisher * PUBLISHERS;
    const peakRss = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${ingest.pid}/status`, 'utf8'))?.[1];
    process.stdout.write(
      [
        `ingest end to end: ${messages} messages (${expected} readings) from ${PUBLISHERS} devices, QoS 1, ${WINDOW} in flight each`,
        `  all acknowledged by the broker after ${seconds(published).toFixed(2)} s`,
        `  all committed to PostgreSQL after ${seconds(stored).toFixed(2)} s: ${Math.round(messages / seconds(stored)).toLocaleString('en')} messages/s, ${Math.round(expected / seconds(stored)).toLocaleString('en')} readings/s`,
        `  ingest peak RSS ${peakRss ? (Number(peakRss) / 1024).toFixed(0) : '?'} MiB`,
      ].join('\n') + '\n',
    );
  } finally {
    if (process.env.BENCH_LOG_LEVEL) process.stderr.write(ingest.log.slice(-20_000));
    await Promise.all(clients.map((client) => client.endAsync()));
    await ingest.stop();
    await broker.stop();
    await database.drop();
    await deleteRedisKeys(prefix);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
