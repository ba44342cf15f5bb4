import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppProcess,
  ApiClient,
  TEST_REDIS_URL,
  createTestDatabase,
  deleteRedisKeys,
  freePort,
  waitFor,
  type TestDatabase,
} from '@homeward/testing';
import { bpMessage, connectDevice } from './mqtt-helpers';

interface DemoDevices {
  mqttUrl: string;
  devices: Array<{ id: string; secret: string; kind: string; patientId: string }>;
}

interface HistoryCount {
  demoKey: string;
  readings: number;
  days: number;
  firstAt: Date;
  alerts: number;
}

interface DeviceView {
  id: string;
  revokedAt: string | null;
}

const COORDINATOR = 'coordinator@demo.homeward.test';

/**
 * The quick start run twice on one database and state directory, as a user restarting
 * `npm run demo` would, with a patient of the user's own added in between.
 */
describe('restarting the demo', () => {
  let database: TestDatabase;
  let app: AppProcess;
  let port: number;
  const stateDir = join(tmpdir(), `homeward-demo-restart-${randomBytes(4).toString('hex')}`);
  const redisPrefix = `hwtest-demo-restart-${randomBytes(4).toString('hex')}`;
  let firstRun: DemoDevices;
  let secondRun: DemoDevices;
  let firstPassword: string;
  let firstLog: string;
  let ownPatientId: string;
  let ownDevice: { id: string; secret: string };

  let historyBefore: HistoryCount[];
  let historyAfter: HistoryCount[];
  /** Per demo patient: readings, adherence days, the earliest reading and alerts. */
  const historyOfDemoPatients = async () =>
    (
      await database.pool.query<HistoryCount>(
        `SELECT p.demo_key AS "demoKey",
                (SELECT count(*)::int FROM readings r WHERE r.patient_id = p.id) AS readings,
                (SELECT count(*)::int FROM patient_reading_days d WHERE d.patient_id = p.id) AS days,
                (SELECT min(measured_at) FROM readings r WHERE r.patient_id = p.id) AS "firstAt",
                (SELECT count(*)::int FROM alerts a WHERE a.patient_id = p.id AND a.status <> 'resolved') AS alerts
         FROM patients p WHERE p.demo_key IS NOT NULL ORDER BY p.demo_key`,
      )
    ).rows;
  const readDevices = () =>
    JSON.parse(readFileSync(join(stateDir, 'demo-devices.json'), 'utf8')) as DemoDevices;
  const api = () => new ApiClient(`http://127.0.0.1:${port}`);

  beforeAll(async () => {
    [database, port] = await Promise.all([createTestDatabase(), freePort()]);
    app = new AppProcess(
      'homeward',
      {
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redisPrefix,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PORT: String(port),
        MQTT_PORT: String(await freePort()),
      },
      ['--demo', '--patients', '2', '--state-dir', stateDir, '--no-simulator'],
    );
    await app.start('Homeward demo ready', 60_000);
    firstLog = app.log;
    firstRun = readDevices();
    firstPassword = /password "([^"]+)"/.exec(firstLog)?.[1] ?? 'not printed';

    // A patient of the user's own whose name sorts before every demo patient's, registered with
    // consent to monitoring (without it their readings would be rejected).
    const coordinator = await api().login(COORDINATOR, firstPassword);
    const patient = await coordinator.request<{ id: string }>('POST', '/api/patients', {
      givenName: 'Abel',
      familyName: 'Aaronson',
      birthDate: '1950-01-01',
      monitoringConsent: 'verbal',
    });
    expect(patient.status).toBe(201);
    ownPatientId = patient.body.id;
    const device = await coordinator.request<{ id: string; secret: string }>(
      'POST',
      `/api/patients/${ownPatientId}/devices`,
      { kind: 'bp_cuff' },
    );
    expect(device.status).toBe(201);
    ownDevice = device.body;

    historyBefore = await historyOfDemoPatients();
    await app.stop();
    await app.start('Homeward demo ready', 60_000);
    secondRun = readDevices();
    historyAfter = await historyOfDemoPatients();
  }, 150_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    await deleteRedisKeys(redisPrefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  const storedReading = async (deviceId: string, messageId: string) =>
    waitFor(
      async () =>
        (
          await database.pool.query('SELECT 1 FROM readings WHERE device_id = $1 AND message_id = $2', [
            deviceId,
            messageId,
          ])
        ).rowCount === 3,
      { what: `reading ${messageId} stored` },
    );

  it('leaves a patient the user created, and her device, untouched', async () => {
    expect(secondRun.devices.map((device) => device.patientId)).not.toContain(ownPatientId);
    const coordinator = await api().login(COORDINATOR, firstPassword);
    const devices = await coordinator.request<{ items: DeviceView[] }>(
      'GET',
      `/api/patients/${ownPatientId}/devices`,
    );
    expect(devices.body.items).toEqual([expect.objectContaining({ id: ownDevice.id, revokedAt: null })]);

    const client = await connectDevice(secondRun.mqttUrl, ownDevice);
    await client.publishAsync(
      `v1/devices/${ownDevice.id}/readings`,
      bpMessage('own-after-restart', 120, 80),
      {
        qos: 1,
      },
    );
    client.end(true);
    await storedReading(ownDevice.id, 'own-after-restart');
  });

  it('seeds 30 days of readings per demo patient once, with adherence days and no active alert from the past', () => {
    expect(historyBefore.map((patient) => patient.demoKey)).toEqual(['james-okafor', 'maria-alvarez']);
    for (const patient of historyBefore) {
      // A weighing, two blood pressures with pulse and an SpO2 a day, a few skipped.
      expect(patient.readings).toBeGreaterThan(150);
      expect(patient.days).toBeGreaterThanOrEqual(25);
      expect(Date.now() - patient.firstAt.getTime()).toBeGreaterThan(29 * 24 * 3_600_000);
      expect(patient.alerts).toBe(0);
    }
    expect(historyAfter).toEqual(historyBefore);
  });

  it('keeps the demo patients’ devices and their secrets', async () => {
    expect(firstRun.devices).toHaveLength(6);
    expect(secondRun.devices.map(({ id, secret, patientId }) => ({ id, secret, patientId }))).toEqual(
      firstRun.devices.map(({ id, secret, patientId }) => ({ id, secret, patientId })),
    );
    const [device] = firstRun.devices;
    const client = await connectDevice(secondRun.mqttUrl, device);
    await client.publishAsync(`v1/devices/${device.id}/readings`, bpMessage('demo-after-restart', 130, 85), {
      qos: 1,
    });
    client.end(true);
    await storedReading(device.id, 'demo-after-restart');

    const count = await database.pool.query('SELECT count(*)::int AS n FROM devices');
    expect(count.rows[0]).toEqual({ n: 7 });
  });

  it('keeps the generated password, owner-readable only, so the old one still signs in', async () => {
    expect(firstPassword).toMatch(/^\S{8,}$/);
    expect(readFileSync(join(stateDir, 'demo-password'), 'utf8')).toBe(firstPassword);
    expect(statSync(join(stateDir, 'demo-password')).mode & 0o777).toBe(0o600);
    expect(firstLog).toContain(`"${firstPassword}"`);
    expect(app.log).toContain(`"${firstPassword}"`);
    expect(
      (await api().request('POST', '/api/auth/login', { email: COORDINATOR, password: firstPassword }))
        .status,
    ).toBe(200);
  });

  it('says with --no-simulator that no simulator runs, not that simulated devices publish', () => {
    expect(app.log).toContain('No simulator (--no-simulator)');
    expect(app.log).not.toMatch(/simulated devices .* publish/);
  });

  it('prints next steps whose sign-in and mosquitto_pub commands work as printed', async () => {
    const steps = app.log.slice(app.log.indexOf('Next steps:'));
    expect(steps).toContain('mosquitto_pub -V mqttv311');
    expect(steps).toContain('socket.io-client');
    // The printed command lines (indented six, continuations eight), without the socket
    // listener, which runs until stopped.
    const script = steps
      .split('\n')
      .filter((line) => line.startsWith('      ') && !line.includes('socket.io-client'))
      .join('\n');
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', `set -euo pipefail\n${script}`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 30_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('Alvarez');
    // The command reads the device secret from the devices file; no secret is in the log.
    for (const { secret } of secondRun.devices) expect(app.log).not.toContain(secret);

    const device = secondRun.devices[secondRun.devices.length - 1];
    await waitFor(
      async () =>
        (
          await database.pool.query(
            "SELECT 1 FROM readings WHERE device_id = $1 AND message_id LIKE 'manual-%'",
            [device.id],
          )
        ).rowCount === 1,
      { what: 'reading published with the printed mosquitto_pub command' },
    );
  });
});
