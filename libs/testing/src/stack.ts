import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ApiClient } from './api-client';
import { AppProcess, READY_LINES, type AppName } from './app-process';
import { createOrganization, createUser } from './factories';
import { startMosquitto, type TestBroker } from './mosquitto';
import { freePort } from './ports';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export interface StackOptions {
  apps: Array<Exclude<AppName, 'homeward'>>;
  env?: Record<string, string>;
  /** Variables for one app only (OPS_PORT, say, which two processes cannot share). */
  appEnv?: Partial<Record<Exclude<AppName, 'homeward'>, Record<string, string>>>;
  /**
   * `dynamic-security`: Mosquitto as docker/mosquitto/dynsec.conf deploys it, the processes
   * signing in with its admin service account and the API provisioning devices on it.
   * Default `anonymous`.
   */
  broker?: 'anonymous' | 'dynamic-security';
}

/**
 * The platform as separate real processes over real PostgreSQL, Redis and Mosquitto, isolated
 * from anything else on the machine: its own database, Redis prefix, broker and client ids.
 */
export class TestStack {
  readonly apps = new Map<string, AppProcess>();
  readonly runId = randomBytes(4).toString('hex');

  private constructor(
    readonly database: TestDatabase,
    readonly broker: TestBroker,
    readonly port: number,
    private readonly extraEnv: Record<string, string>,
    private readonly appEnv: NonNullable<StackOptions['appEnv']>,
  ) {}

  static async start(options: StackOptions): Promise<TestStack> {
    const dynamicSecurity =
      options.broker === 'dynamic-security'
        ? { username: 'homeward-service', password: randomBytes(18).toString('base64url') }
        : undefined;
    // Settled, not raced: when one store fails (PostgreSQL unreachable, say) the others are
    // stopped before the suite ends, or a broker outlives jest and its probe client runs on after
    // the test environment is torn down.
    const [database, broker, port] = await Promise.allSettled([
      createTestDatabase(),
      startMosquitto({ dynamicSecurity }),
      freePort(),
    ]);
    if (database.status === 'rejected' || broker.status === 'rejected' || port.status === 'rejected') {
      if (database.status === 'fulfilled') await database.value.drop();
      if (broker.status === 'fulfilled') await broker.value.stop();
      throw [database, broker, port].find((result) => result.status === 'rejected')?.reason;
    }
    const stack = new TestStack(
      database.value,
      broker.value,
      port.value,
      options.env ?? {},
      options.appEnv ?? {},
    );
    await Promise.all(options.apps.map((name) => stack.startApp(name)));
    return stack;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  env(): Record<string, string> {
    const account = this.broker.serviceAccount;
    return {
      DATABASE_URL: this.database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `hwtest-${this.runId}`,
      MQTT_URL: this.broker.url,
      MQTT_CLIENT_ID: `ingest-test-${this.runId}`,
      MQTT_SHARE_GROUP: `ingest${this.runId}`,
      JWT_SECRET: `test-secret-${this.runId}-0123456789abcdef0123456789`,
      PORT: String(this.port),
      // Links in email and SMS, and the URL Twilio signs webhooks with.
      PUBLIC_URL: this.apiUrl,
      INGEST_FLUSH_MS: '10',
      // Suites push thousands of messages through one device; test/device-budget.e2e-spec.ts
      // sets the per-device budget it tests.
      DEVICE_MAX_MESSAGES_PER_MINUTE: '0',
      ...(account
        ? { MQTT_USERNAME: account.username, MQTT_PASSWORD: account.password, MQTT_DYNSEC: 'true' }
        : {}),
      ...this.extraEnv,
    };
  }

  async startApp(name: Exclude<AppName, 'homeward'>): Promise<AppProcess> {
    const app = new AppProcess(name, { ...this.env(), ...this.appEnv[name] });
    this.apps.set(name, app);
    await app.start(READY_LINES[name]);
    return app;
  }

  app(name: string): AppProcess {
    const app = this.apps.get(name);
    if (!app) throw new Error(`${name} is not running`);
    return app;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apps.values()].map((app) => app.stop()));
    await this.broker.stop();
    await this.database.drop();
    await deleteRedisKeys(this.env().REDIS_PREFIX);
  }
}

/** Removes a suite's BullMQ keys so test runs leave nothing behind in the shared Redis. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface RegisteredTestDevice {
  id: string;
  secret: string;
  mqttUrl: string;
  patientId: string;
}

/**
 * A new organisation with a coordinator who registers one patient and, through the real API,
 * a device of each kind given: what most ingest suites start from.
 */
export async function registerDevices(stack: TestStack, kinds: string[]): Promise<RegisteredTestDevice[]> {
  const organization = await createOrganization(stack.database.pool);
  const coordinator = await createUser(stack.database.pool, organization, 'coordinator');
  const api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
  const patient = await api.createPatient();
  const devices: RegisteredTestDevice[] = [];
  for (const kind of kinds)
    devices.push({ ...(await api.registerDevice(patient.id, kind)), patientId: patient.id });
  return devices;
}
