import { createHash, randomBytes } from 'node:crypto';
import type { DeviceKind } from '@homeward/contracts';
import {
  ApiClient,
  AppProcess,
  READY_LINES,
  TEST_REDIS_URL,
  careTeamId,
  createOrganization,
  createTestDatabase,
  createUsers,
  deleteRedisKeys,
  freePort,
  startMosquitto,
  type TestBroker,
  type TestDatabase,
} from '@homeward/testing';
import type { ResolvedDevice } from '../devices-simulator/src/devices-file';
import type { BenchEnv } from './bench-env';

/**
 * Ingest's heap as docker-compose.yml deploys it. Without a cap V8 lets the old generation grow
 * with the allocation rate on a machine with memory to spare: 426-567 MiB peak RSS at full load,
 * against 224 MiB capped, at the same rate (the live set is bounded by INGEST_MAX_HELD). An
 * 8 MiB young generation measured 7.9-8.5k msg/s and 217-219 MiB against 7.1-7.5k and 236-246
 * MiB with V8's own choice (bench/FINDINGS.md, "Where ingest's time goes").
 */
const INGEST_NODE_OPTIONS =
  process.env.BENCH_INGEST_NODE_OPTIONS ?? '--max-old-space-size=160 --max-semi-space-size=8';

/** The kinds a patient's home kit holds, as the simulator registers them by default. */
const KIT: readonly DeviceKind[] = ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer'];
const INSERT_CHUNK = 5000;

export interface PlatformOptions {
  ingestInstances: number;
  apiInstances: number;
}

/**
 * What the benchmark runs against: its own migrated database, its own Redis prefix and its own
 * Mosquitto, started by libs/testing with docker/mosquitto/conf.d's queue limits (Mosquitto's default
 * max_queued_messages, 1000, silently lost 5-9% of QoS 1 messages at about 40k msg/s) and
 * anonymous access, as the existing ingest bench does: dynamic security would cost a plugin file
 * rewrite per provisioning request and measures nothing about ingest. The api, ingest and worker
 * are the built apps as child processes. Ingest instances share the subscription with stable
 * client ids (ingest-0, ingest-1, ...); API instances meet through socket.io's Redis adapter.
 */
export class BenchPlatform {
  readonly apps: Array<{ label: string; process: AppProcess }> = [];
  readonly apiUrls: string[] = [];
  private constructor(
    readonly database: TestDatabase,
    readonly broker: TestBroker,
    readonly prefix: string,
  ) {}

  static async start(options: PlatformOptions): Promise<BenchPlatform> {
    const [database, broker] = await Promise.all([createTestDatabase(), startMosquitto()]);
    const platform = new BenchPlatform(database, broker, `hwbench-${randomBytes(4).toString('hex')}`);
    try {
      const starts: Array<Promise<void>> = [];
      for (let i = 0; i < options.apiInstances; i++) {
        const port = await freePort();
        platform.apiUrls.push(`http://127.0.0.1:${port}`);
        starts.push(platform.startApp(`api-${i}`, 'api', { PORT: String(port) }));
      }
      for (let i = 0; i < options.ingestInstances; i++)
        starts.push(
          platform.startApp(`ingest-${i}`, 'ingest', {
            MQTT_CLIENT_ID: `ingest-${i}`,
            NODE_OPTIONS: INGEST_NODE_OPTIONS,
          }),
        );
      starts.push(platform.startApp('worker', 'worker', {}));
      await Promise.all(starts);
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  env(): BenchEnv {
    return { databaseUrl: this.database.url, redisUrl: TEST_REDIS_URL, mqttUrl: this.broker.url };
  }

  /** Variables every process gets; the per-device budget is off so load devices are never rate-limited. */
  private processEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: this.prefix,
      MQTT_URL: this.broker.url,
      MQTT_SHARE_GROUP: 'ingest',
      JWT_SECRET: `bench-secret-${this.prefix}-0123456789abcdef0123456789`,
      DEVICE_MAX_MESSAGES_PER_MINUTE: '0',
      // Every bench login comes from 127.0.0.1: the console section signs in one coordinator per socket.
      LOGIN_RATE_LIMIT: '100000',
      INGEST_BATCH_SIZE: process.env.INGEST_BATCH_SIZE ?? '1000',
      INGEST_FLUSH_MS: process.env.INGEST_FLUSH_MS ?? '20',
      INGEST_MAX_HELD: process.env.INGEST_MAX_HELD ?? '4000',
      LOG_LEVEL: 'info',
    };
  }

  private async startApp(label: string, name: 'api' | 'ingest' | 'worker', extra: Record<string, string>) {
    // BENCH_PROFILE_DIR=<dir>: each process writes a CPU profile there when it stops.
    const profileDir = process.env.BENCH_PROFILE_DIR;
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const app = new AppProcess(name, { ...this.processEnv(), ...extra }, [], nodeArgs);
    this.apps.push({ label, process: app });
    await app.start(READY_LINES[name], 60_000);
  }

  async createOrganization(name: string): Promise<string> {
    return createOrganization(this.database.pool, name);
  }

  /**
   * `count` distinct coordinators of `organizationId`, user i signed in through API instance
   * i % instances (so its socket and requests go there), through the real login: createUsers
   * gives them one cheap hash, so 200 sign in in about a second.
   */
  async coordinators(organizationId: string, count: number): Promise<ApiClient[]> {
    const users = await createUsers(this.database.pool, organizationId, 'coordinator', count);
    const clients = new Array<ApiClient>(users.length);
    let next = 0;
    const signIn = async () => {
      for (let i = next++; i < users.length; i = next++)
        clients[i] = await new ApiClient(this.apiUrls[i % this.apiUrls.length]).login(
          users[i].email,
          users[i].password,
        );
    };
    await Promise.all(Array.from({ length: 8 }, signIn));
    return clients;
  }

  /**
   * `count` devices, `perPatient` to a patient (kinds from the home kit in turn), written in SQL
   * as DeviceRepository does (the secret's SHA-256; the trigger records the assignment): through
   * the API, 10,000 devices would take minutes.
   */
  async provisionDevices(
    organizationId: string,
    count: number,
    perPatient = KIT.length,
  ): Promise<ResolvedDevice[]> {
    const secret = randomBytes(24).toString('base64url');
    const secretHash = createHash('sha256').update(secret, 'utf8').digest();
    const devices: ResolvedDevice[] = [];
    const pool = this.database.pool;
    for (let start = 0; start < count; start += INSERT_CHUNK) {
      const size = Math.min(INSERT_CHUNK, count - start);
      const patientCount = Math.ceil(size / perPatient);
      const patients = await pool.query<{ id: string }>(
        `INSERT INTO patients (organization_id, given_name, family_name, birth_date)
         SELECT $1, 'Bench', 'Patient ' || g, DATE '1950-01-01' FROM generate_series(1, $2) g RETURNING id`,
        [organizationId, patientCount],
      );
      // In the coordinators' care team (createUsers' default), or they see none of them.
      await pool.query(
        `INSERT INTO care_team_patients (care_team_id, patient_id, organization_id)
         SELECT $1, id, $2 FROM unnest($3::uuid[]) AS p (id)`,
        [await careTeamId(pool, organizationId), organizationId, patients.rows.map((row) => row.id)],
      );
      // Consent to monitoring, or every reading is rejected with no_consent.
      await pool.query(
        `INSERT INTO patient_consents (organization_id, patient_id, scope, method, given_at)
         SELECT $1, id, 'rpm_monitoring', 'verbal', now() FROM unnest($2::uuid[]) AS p (id)`,
        [organizationId, patients.rows.map((row) => row.id)],
      );
      const patientIds: string[] = [];
      const kinds: DeviceKind[] = [];
      for (let i = 0; i < size; i++) {
        patientIds.push(patients.rows[Math.floor(i / perPatient)].id);
        kinds.push(KIT[(i % perPatient) % KIT.length]);
      }
      const inserted = await pool.query<{ id: string; patientId: string; kind: DeviceKind }>(
        `INSERT INTO devices (organization_id, patient_id, kind, secret_hash)
         SELECT $1, t.patient_id, t.kind, $4 FROM unnest($2::uuid[], $3::text[]) AS t(patient_id, kind)
         RETURNING id, patient_id AS "patientId", kind`,
        [organizationId, patientIds, kinds, secretHash],
      );
      for (const row of inserted.rows) devices.push({ ...row, secret, mqttUrl: this.broker.url });
    }
    return devices;
  }

  /** The platform's processes, the broker included (PostgreSQL and Redis are the machine's, shared). */
  processes(): Array<{ label: string; pid: number | undefined }> {
    return [
      ...this.apps.map(({ label, process }) => ({ label, pid: process.pid })),
      { label: 'mosquitto', pid: this.broker.pid },
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map(({ process }) => process.stop()));
    await this.broker.stop();
    // BENCH_KEEP_DATABASE=1: kept for reading a run's stages afterwards (see FINDINGS.md).
    if (process.env.BENCH_KEEP_DATABASE === '1') {
      process.stderr.write(`[bench] kept ${this.database.url}\n`);
      await this.database.pool.end();
    } else await this.database.drop();
    await deleteRedisKeys(this.prefix);
  }
}
