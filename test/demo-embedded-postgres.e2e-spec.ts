import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, ApiClient, TEST_REDIS_URL, deleteRedisKeys, freePort, waitFor } from '@homeward/testing';

interface Vital {
  type: string;
  messageId: string;
  deviceId: string;
}

const ADMIN = 'admin@demo.homeward.test';

/** Whether a simulator started by a demo with `stateDir` is still running (Linux: /proc). */
function simulatorRunningFor(stateDir: string): boolean {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return args.includes('devices-simulator') && args.includes(stateDir);
      } catch {
        return false;
      }
    });
}

/**
 * The quick start on a machine without PostgreSQL: no DATABASE_URL and nothing listening where
 * PostgreSQL would be (PGPORT points at a closed port), so the demo runs on its embedded
 * PostgreSQL, and a restart finds the data it stored.
 */
describe('the demo without a PostgreSQL server', () => {
  let app: AppProcess;
  let port: number;
  let closedPgPort: number;
  const stateDir = join(tmpdir(), `homeward-demo-embedded-${randomBytes(4).toString('hex')}`);
  const redisPrefix = `hwtest-demo-embedded-${randomBytes(4).toString('hex')}`;
  let firstLog: string;
  let password: string;
  let patientId: string;
  let firstReading: Vital;

  const vitals = async (api: ApiClient) =>
    (await api.request<{ items: Vital[] }>('GET', `/api/patients/${patientId}/vitals`)).body.items ?? [];

  beforeAll(async () => {
    [port, closedPgPort] = await Promise.all([freePort(), freePort()]);
    app = new AppProcess(
      'homeward',
      {
        PGHOST: '127.0.0.1',
        PGPORT: String(closedPgPort),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redisPrefix,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PORT: String(port),
        MQTT_PORT: String(await freePort()),
      },
      // One simulated patient: its devices publish their first readings within seconds.
      ['--demo', '--patients', '1', '--state-dir', stateDir],
    );
    await app.start('Homeward demo ready', 60_000);
    firstLog = app.log;
    password = readFileSync(join(stateDir, 'demo-password'), 'utf8');
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await deleteRedisKeys(redisPrefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('says it runs on an embedded PostgreSQL and where its data lives', () => {
    const dataDir = join(stateDir, 'pgdata');
    expect(firstLog).toContain(`starting an embedded PostgreSQL (data in ${dataDir})`);
    expect(firstLog).toContain(
      `Database: embedded PostgreSQL (PGlite, in this process), data kept in ${dataDir}`,
    );
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
  });

  it('signs the demo admin in and stores what the simulated devices publish', async () => {
    const api = new ApiClient(`http://127.0.0.1:${port}`);
    const login = await api.request<{ accessToken: string }>('POST', '/api/auth/login', {
      email: ADMIN,
      password,
    });
    expect(login.status).toBe(200);
    const admin = new ApiClient(api.baseUrl, login.body.accessToken);
    const patients = await admin.request<{ items: Array<{ id: string }> }>('GET', '/api/patients');
    expect(patients.status).toBe(200);
    expect(patients.body.items).toHaveLength(1);
    patientId = patients.body.items[0].id;
    [firstReading] = await waitFor(
      async () => {
        const items = await vitals(admin);
        return items.length > 0 ? items : undefined;
      },
      { what: 'a simulated reading stored in the embedded PostgreSQL', timeoutMs: 20_000 },
    );
    expect(firstReading).toEqual(
      expect.objectContaining({ type: expect.any(String), messageId: expect.any(String) }),
    );
  });

  it('keeps users and readings across a restart', async () => {
    await app.stop();
    await app.start('Homeward demo ready', 60_000);
    expect(app.log).toContain('Database: embedded PostgreSQL');
    // The demo ends by naming the console and who may sign in to it.
    await waitFor(() => app.log.includes(`Console: http://localhost:${port}/`), {
      what: 'the console URL in the demo output',
      timeoutMs: 5000,
    });
    expect(app.log).toContain(ADMIN);

    const admin = await new ApiClient(`http://127.0.0.1:${port}`).login(ADMIN, password);
    const items = await vitals(admin);
    expect(items).toContainEqual(
      expect.objectContaining({ messageId: firstReading.messageId, deviceId: firstReading.deviceId }),
    );
    // Still one demo patient: the restart found the seeded organisation instead of a blank database.
    const patients = await admin.request<{ items: Array<{ id: string }> }>('GET', '/api/patients');
    expect(patients.body.items.map((patient) => patient.id)).toEqual([patientId]);
  });

  it('keeps every reading it acknowledged when the process is SIGKILLed mid-stream', async () => {
    const admin = await new ApiClient(`http://127.0.0.1:${port}`).login(ADMIN, password);
    // Let the simulator publish for a while, then kill without warning.
    const before = (await vitals(admin)).length;
    await waitFor(async () => (await vitals(admin)).length > before, {
      what: 'more readings',
      timeoutMs: 30_000,
    });
    const stored = await vitals(admin);
    const simulatorRunning = () => simulatorRunningFor(stateDir);
    expect(simulatorRunning()).toBe(true);
    await app.kill();
    // Its simulator does not publish on as an orphan: it stops when the demo dies.
    await waitFor(() => !simulatorRunning(), { what: 'the orphaned simulator to stop', timeoutMs: 10_000 });
    // The data directory's lock belonged to a dead process: the next start takes it over.
    await app.start('Homeward demo ready', 60_000);
    const again = await new ApiClient(`http://127.0.0.1:${port}`).login(ADMIN, password);
    const after = await vitals(again);
    for (const reading of stored)
      expect(after).toContainEqual(
        expect.objectContaining({ messageId: reading.messageId, type: reading.type }),
      );
  }, 120_000);
});
