import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { VITALS, type VitalType } from '@homeward/contracts';
import {
  ApiClient,
  AppProcess,
  READY_LINES,
  careTeamId,
  createOrganization,
  createTestDatabase,
  createUser,
  deleteRedisKeys,
  freePort,
  refreshReadingDays,
} from '@homeward/testing';
import type { BenchEnv } from './bench-env';
import { copyFrom } from './copy-in';
import {
  ACTIVE_ALERT_STATUSES,
  READING_COPY_COLUMNS,
  deviceKindOf,
  planAlerts,
  planSeed,
  readingCopyLines,
  type SeedIds,
  type SeedOptions,
  type SeedPlan,
} from './seed-plan';
import { percentile, seededRandom } from './stats';

export type QueryName = 'patientChart30d' | 'alertQueue5000' | 'adherence30d1000';

/**
 * p50 and p95 of each console query through the API (HTTP, authenticated), with `readings` the
 * rows in the readings table while it was measured; bytes per stored reading, table and indexes
 * (on TimescaleDB with compression: of the compressed chunks older than the horizon); and whether
 * readings was a TimescaleDB hypertable.
 */
export type QueryFigures = Record<QueryName, { p50Ms: number; p95Ms: number; readings: number }> & {
  bytesPerReading: number;
  timescale: boolean;
};

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 30;

const SEED: Omit<SeedOptions, 'readings'> = {
  patients: 5_000,
  activePatients: 1_000,
  lapsedPatients: 1_000,
  days: 90,
  quietDays: WINDOW_DAYS,
};

const SIZES = {
  quick: { readings: 200_000, alerts: 3_000, warmup: 5, iterations: 40, budgetMs: 20_000 },
  full: { readings: 10_000_000, alerts: 3_000, warmup: 20, iterations: 200, budgetMs: 90_000 },
};

/** Statuses the console's queue asks for by default: everything still to be dealt with. */
const QUEUE_STATUSES = ACTIVE_ALERT_STATUSES.join(',');

/** Progress for whoever runs the benchmark; the figures themselves are returned. */
function note(message: string): void {
  process.stderr.write(`queries: ${message}\n`);
}

/**
 * Seeds a database of its own (an organisation of 5,000 patients, 1,000 of them measuring up to
 * now, 1,000 whose devices went quiet before the last 30 days; 10 million readings, 200,000 when
 * quick; a few thousand alerts), starts the API on it, and times the console's three heavy
 * reads as a coordinator. BENCH_KEEP_QUERY_DATABASE=1 keeps the database for EXPLAIN.
 */
export async function measureQueries(env: BenchEnv, options: { quick: boolean }): Promise<QueryFigures> {
  const size = options.quick ? SIZES.quick : SIZES.full;
  const random = seededRandom(20261126);
  const database = await createTestDatabase();
  const prefix = `hwbench-queries-${randomBytes(4).toString('hex')}`;
  let api: AppProcess | undefined;
  try {
    const plan = planSeed({ ...SEED, readings: size.readings });
    const now = Date.now();
    const seeded = await seed(database.pool, plan, size.alerts, now, random);
    const storage = await measureStorage(database.pool);
    note(
      `${storage.rows} readings, ${storage.bytes} bytes with indexes: ${storage.bytesPerReading.toFixed(1)} bytes per reading` +
        (storage.timescale ? ' (TimescaleDB hypertable)' : ' (plain PostgreSQL)'),
    );

    const port = await freePort();
    api = new AppProcess('api', {
      DATABASE_URL: database.url,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: prefix,
      JWT_SECRET: `bench-${randomBytes(24).toString('hex')}`,
      PORT: String(port),
      MQTT_URL: env.mqttUrl,
      ...(env.mqttUsername ? { MQTT_USERNAME: env.mqttUsername } : {}),
      ...(env.mqttPassword ? { MQTT_PASSWORD: env.mqttPassword } : {}),
    });
    await api.start(READY_LINES.api);
    const client = await new ApiClient(`http://127.0.0.1:${port}`).login(
      seeded.coordinator.email,
      seeded.coordinator.password,
    );

    const paths: Record<QueryName, () => string> = {
      // The console's chart reads a window of one patient at most 5,000 readings at a time.
      patientChart30d: () => {
        const index = Math.floor(random() * plan.activePatients);
        const types = deviceKindOf(index).types;
        const type = types[Math.floor(random() * types.length)];
        const to = now - random() * (plan.days - WINDOW_DAYS) * DAY_MS;
        const query = new URLSearchParams({
          type,
          from: new Date(to - WINDOW_DAYS * DAY_MS).toISOString(),
          to: new Date(to).toISOString(),
          limit: '5000',
        });
        return `/api/patients/${seeded.ids.patientIds[index]}/vitals?${query.toString()}`;
      },
      // The queue as the console opens it (every active status, its longest page), by severity or not.
      alertQueue5000: () => {
        const severity = [undefined, undefined, 'critical', 'warning'][Math.floor(random() * 4)];
        const query = new URLSearchParams({ status: QUEUE_STATUSES, limit: '1000' });
        if (severity) query.set('severity', severity);
        return `/api/alerts?${query.toString()}`;
      },
      // The worklist sorted by adherence counts days with readings for every patient of the
      // organisation (5,000, the 1,000 measuring ones holding the window's readings).
      adherence30d1000: () => {
        const query = new URLSearchParams({
          sort: 'adherence',
          order: random() < 0.5 ? 'asc' : 'desc',
          limit: '50',
          offset: String(50 * Math.floor(random() * 20)),
        });
        return `/api/worklist?${query.toString()}`;
      },
    };

    const result = {} as Record<QueryName, { p50Ms: number; p95Ms: number; readings: number }>;
    for (const name of Object.keys(paths) as QueryName[]) {
      const durations = await timeRequests(client, paths[name], size);
      result[name] = {
        p50Ms: percentile(durations, 50),
        p95Ms: percentile(durations, 95),
        readings: storage.rows,
      };
      note(
        `${name}: p50 ${result[name].p50Ms.toFixed(1)} ms, p95 ${result[name].p95Ms.toFixed(1)} ms over ${durations.length} requests`,
      );
    }
    return { ...result, bytesPerReading: storage.bytesPerReading, timescale: storage.timescale };
  } catch (error) {
    // A 500 says only that it was logged: show the API's own error lines beside the failure.
    for (const line of (api?.log ?? '').split('\n').filter((entry) => entry.includes('"level":50')))
      note(`api error: ${line.slice(0, 2000)}`);
    throw error;
  } finally {
    await api?.stop();
    await deleteRedisKeys(prefix);
    if (process.env.BENCH_KEEP_QUERY_DATABASE === '1') {
      note(`kept ${database.url}`);
      await database.pool.end();
    } else await database.drop();
  }
}

/**
 * Sequential requests, as one console sends them: `warmup` untimed, then up to `iterations`
 * timed (first byte sent to last byte read) within `budgetMs`, at least 20.
 */
async function timeRequests(
  client: ApiClient,
  path: () => string,
  size: { warmup: number; iterations: number; budgetMs: number },
): Promise<number[]> {
  const headers = { authorization: `Bearer ${client.accessToken}` };
  const once = async (): Promise<number> => {
    const target = `${client.baseUrl}${path()}`;
    const started = performance.now();
    const response = await fetch(target, { headers });
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 200)
      throw new Error(`${target}: ${response.status} ${Buffer.from(body).toString().slice(0, 500)}`);
    return elapsed;
  };
  for (let i = 0; i < size.warmup; i++) await once();
  const durations: number[] = [];
  const deadline = performance.now() + size.budgetMs;
  while (durations.length < size.iterations && (durations.length < 20 || performance.now() < deadline))
    durations.push(await once());
  return durations;
}

interface Seeded {
  ids: SeedIds;
  coordinator: { email: string; password: string };
}

/**
 * Organisation, coordinator, patients, devices and alerts by INSERT ... unnest; readings by
 * COPY streamed from Node in time order (several slots per chunk). Then VACUUM ANALYZE, as
 * autovacuum would have done on a table filled over 90 days.
 */
async function seed(
  pool: Pool,
  plan: SeedPlan,
  alertCount: number,
  now: number,
  random: () => number,
): Promise<Seeded> {
  const started = performance.now();
  const organizationId = await createOrganization(pool, 'Bench organisation');
  const coordinator = await createUser(pool, organizationId, 'coordinator');
  const patientIds = Array.from({ length: plan.patients }, () => randomUUID());
  const zones = [null, 'Europe/Paris', 'America/Chicago'];
  await pool.query(
    `INSERT INTO patients (id, organization_id, given_name, family_name, birth_date, time_zone)
     SELECT p.id, $1, 'Bench', 'Patient-' || lpad(p.n::text, 5, '0'), date '1950-01-01' + (p.n % 9000)::int, p.zone
     FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS p (id, zone, n)`,
    [organizationId, patientIds, patientIds.map((_, index) => zones[index % zones.length])],
  );
  // In the coordinator's care team (createUser's default), or the coordinator sees none of them.
  await pool.query(
    `INSERT INTO care_team_patients (care_team_id, patient_id, organization_id)
     SELECT $1, id, $2 FROM unnest($3::uuid[]) AS p (id)`,
    [await careTeamId(pool, organizationId), organizationId, patientIds],
  );
  const withDevices = plan.activePatients + plan.lapsedPatients;
  const deviceIds = Array.from({ length: withDevices }, () => randomUUID());
  // Registered before the history starts, so every reading falls within an assignment.
  await pool.query(
    `INSERT INTO devices (id, organization_id, patient_id, kind, secret_hash, created_at)
     SELECT d.id, $1, d.patient_id, d.kind, decode(md5(d.id::text), 'hex'), $4
     FROM unnest($2::uuid[], $3::uuid[], $5::text[]) AS d (id, patient_id, kind)`,
    [
      organizationId,
      deviceIds,
      patientIds.slice(0, withDevices),
      new Date(now - (plan.days + 1) * DAY_MS),
      deviceIds.map((_, index) => deviceKindOf(index).kind),
    ],
  );
  const ids: SeedIds = { patientIds, deviceIds };

  const historyStart = now - plan.days * DAY_MS;
  const alerts = planAlerts(alertCount, withDevices, { startMs: historyStart, endMs: now }, random);
  await pool.query(
    `INSERT INTO alerts (organization_id, patient_id, rule_id, rule_kind, rule_description, severity, status,
                         trigger_type, trigger_value, trigger_unit, trigger_measured_at, trigger_device_id,
                         trigger_message_id, batch_id, correlation_id, created_at, updated_at, episode_key,
                         last_value, last_measured_at, acknowledged_at, closed_at, summary)
     SELECT $1, a.patient_id, a.rule_id, a.rule_kind, 'Benchmark alert', a.severity, a.status,
            a.type, 150, a.unit, a.created_at, a.device_id, 'bench-alert-' || a.n, gen_random_uuid(),
            'bench-' || a.n, a.created_at, a.created_at, a.rule_id, 150, a.created_at,
            CASE WHEN a.status IN ('acknowledged', 'escalated', 'resolved') THEN a.created_at + interval '10 minutes' END,
            CASE WHEN a.status IN ('resolved', 'dismissed') THEN a.created_at + interval '1 day' END,
            'Benchmark alert ' || a.n
     FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::text[], $10::timestamptz[]) WITH ORDINALITY
       AS a (patient_id, device_id, rule_id, rule_kind, type, unit, severity, status, created_at, n)`,
    [
      organizationId,
      alerts.map((alert) => patientIds[alert.patientIndex]),
      alerts.map((alert) => deviceIds[alert.patientIndex]),
      alerts.map((alert) => alert.ruleId),
      alerts.map((alert) => alert.ruleKind),
      alerts.map((alert) => alert.type),
      alerts.map((alert) => VITALS[alert.type as VitalType].unit),
      alerts.map((alert) => alert.severity),
      alerts.map((alert) => alert.status),
      alerts.map((alert) => new Date(alert.createdAtMs)),
    ],
  );
  const recordsSeconds = (performance.now() - started) / 1000;

  const copyStarted = performance.now();
  // Built as the socket drains: 10 million rows never sit in memory at once.
  const chunks = function* (): Generator<string> {
    let pending: string[] = [];
    let rows = 0;
    for (let slot = 0; slot < plan.slots; slot++) {
      const lines = readingCopyLines(plan, ids, slot, historyStart, randomUUID(), random);
      pending.push(lines);
      rows += plan.readingsPerActiveSlot + (slot < plan.lapsedSlots ? plan.readingsPerLapsedSlot : 0);
      if (rows >= 10_000) {
        yield pending.join('');
        pending = [];
        rows = 0;
      }
    }
    if (pending.length > 0) yield pending.join('');
  };
  const client = await pool.connect();
  let copied: number;
  try {
    copied = await copyFrom(client, `COPY readings (${READING_COPY_COLUMNS}) FROM STDIN`, chunks());
  } finally {
    client.release();
  }
  const copySeconds = (performance.now() - copyStarted) / 1000;
  if (copied !== plan.expectedReadings)
    throw new Error(`seed stored ${copied} readings, planned ${plan.expectedReadings}`);
  // COPY bypasses ingest, which keeps adherence's day rollup: one statement brings it up to date.
  const rollupStarted = performance.now();
  await refreshReadingDays(pool);
  const rollupSeconds = (performance.now() - rollupStarted) / 1000;

  const vacuumStarted = performance.now();
  await pool.query('VACUUM ANALYZE');
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  note(
    `seeded ${plan.patients} patients, ${withDevices} devices, ${alertCount} alerts in ${recordsSeconds.toFixed(1)} s; ` +
      `${copied} readings by COPY streamed from Node in ${copySeconds.toFixed(1)} s ` +
      `(${Math.round(copied / copySeconds)} rows/s); day rollup ${rollupSeconds.toFixed(1)} s; VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s`,
  );
  return { ids, coordinator };
}

/**
 * Bytes per reading, table and indexes. On plain PostgreSQL: the readings table over all its
 * rows. On TimescaleDB with compression (not the Apache-2.0 build): chunks older than the
 * compression horizon (30 days, the migration's policy) are compressed first, as the policy would
 * have done by now, and the figure is their compressed size over the readings they hold, which
 * is what the 60-byte target is about; the whole hypertable's figure is logged beside it.
 */
async function measureStorage(
  pool: Pool,
): Promise<{ rows: number; bytes: number; bytesPerReading: number; timescale: boolean }> {
  const total = async (sizeSql: string) => {
    const { rows } = await pool.query<{ rows: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM readings) AS rows, ${sizeSql} AS bytes`,
    );
    return { rows: Number(rows[0].rows), bytes: Number(rows[0].bytes) };
  };
  const { rows: probe } = await pool.query<{ extension: boolean; license: string | null }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS extension,
            current_setting('timescaledb.license', true) AS license`,
  );
  const hypertable =
    probe[0].extension &&
    (await pool.query(`SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_name = 'readings'`))
      .rowCount === 1;
  if (!hypertable) {
    const plain = await total(`pg_total_relation_size('readings')`);
    return { ...plain, bytesPerReading: plain.bytes / plain.rows, timescale: false };
  }
  if (probe[0].license === 'apache') {
    const whole = await total(`hypertable_size('readings')`);
    note('TimescaleDB Apache-2.0 build: no compression, the whole hypertable counted');
    return { ...whole, bytesPerReading: whole.bytes / whole.rows, timescale: true };
  }
  const compressed = await pool.query(
    `SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('readings', older_than => interval '30 days') c`,
  );
  const whole = await total(`hypertable_size('readings')`);
  const { rows: old } = await pool.query<{ rows: string; bytes: string | null }>(
    `SELECT (SELECT sum(after_compression_total_bytes) FROM chunk_compression_stats('readings')) AS bytes,
            (SELECT count(*) FROM readings
             WHERE measured_at < (SELECT max(range_end) FROM timescaledb_information.chunks
                                  WHERE hypertable_name = 'readings' AND is_compressed)) AS rows`,
  );
  const oldRows = Number(old[0].rows);
  const oldBytes = Number(old[0].bytes ?? 0);
  note(
    `compressed ${compressed.rowCount} chunks older than 30 days: ${oldRows} readings in ${oldBytes} bytes; ` +
      `the whole hypertable ${(whole.bytes / whole.rows).toFixed(1)} bytes per reading`,
  );
  if (oldRows === 0) return { ...whole, bytesPerReading: whole.bytes / whole.rows, timescale: true };
  return { ...whole, bytesPerReading: oldBytes / oldRows, timescale: true };
}
