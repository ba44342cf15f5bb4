import { NotificationsJobsModule } from '@homeward/notifications';
import { randomBytes } from 'node:crypto';
import { bleTopic, type DeviceClock } from '@homeward/contracts';
import { IngestModule, IngestService, MonitoringJobsModule } from '@homeward/monitoring';
import { JobWorkersModule, type InboundMessage } from '@homeward/platform';
import {
  SFLOAT_SPECIAL,
  bleHex,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  createTestDatabase,
  dateTime,
  deleteRedisKeys,
  sfloat,
  sleep,
  u16,
  u8,
  waitFor,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { AlertingJobsModule } from '../alerting.module';

const HOUR = 3_600_000;

/** A Bluetooth date-time of `instant` as a clock `offsetHours` east of UTC shows it. */
const wallClock = (instant: Date, offsetHours: number) => {
  const wall = new Date(instant.getTime() + offsetHours * HOUR);
  return dateTime(
    wall.getUTCFullYear(),
    wall.getUTCMonth() + 1,
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
  );
};

function ble(
  deviceId: string,
  messageId: string,
  characteristic: string,
  value: string,
  deviceClock?: DeviceClock,
): InboundMessage {
  const body = { messageId, characteristic, value, receivedAt: new Date().toISOString(), deviceClock };
  return { topic: bleTopic(deviceId), payload: Buffer.from(JSON.stringify(body)), receivedAt: new Date() };
}

interface AlertState {
  rule_id: string;
  severity: string;
  status: string;
  summary: string;
  trigger_type: string;
  trigger_value: number;
}

/**
 * Bluetooth measurements through the real ingest and the real worker (BullMQ on Redis,
 * PostgreSQL): special values, meter HI/LO, not-the-patient records, implausible values and
 * device clocks, as a care team would see them.
 */
describe('Bluetooth measurements from ingest to alerts', () => {
  let database: TestDatabase;
  let ingestApp: IntegrationModule;
  let worker: IntegrationModule;
  let ingest: IngestService;
  let organization: string;
  const prefix = `hwint-${randomBytes(4).toString('hex')}`;

  const newPatient = async (protocols: string[], timeZone: string | null = null) => {
    const patient = await createPatient(database.pool, organization);
    await database.pool.query('UPDATE patients SET time_zone = $2 WHERE id = $1', [patient, timeZone]);
    for (const key of protocols)
      await database.pool.query(
        'INSERT INTO patient_protocols (patient_id, protocol_key, organization_id) VALUES ($1, $2, $3)',
        [patient, key, organization],
      );
    return { patient, device: await createDevice(database.pool, organization, patient) };
  };

  const alertsOf = async (patient: string) =>
    (
      await database.pool.query<AlertState>(
        `SELECT rule_id, severity, status, summary, trigger_type, trigger_value FROM alerts
         WHERE patient_id = $1 ORDER BY sequence`,
        [patient],
      )
    ).rows;

  const readingsOf = async (device: string) =>
    (
      await database.pool.query<{ type: string; value: number; flags: string[] | null; measured_at: Date }>(
        'SELECT type, value, flags, measured_at FROM readings WHERE device_id = $1 ORDER BY type',
        [device],
      )
    ).rows;

  const store = (...messages: InboundMessage[]) => ingest.storeBatch(messages, 'ingest-test');

  beforeAll(async () => {
    database = await createTestDatabase();
    organization = await createOrganization(database.pool);
    ingestApp = await createIntegrationModule({
      role: 'ingest',
      database,
      env: { MQTT_URL: 'mqtt://127.0.0.1:1', REDIS_PREFIX: prefix },
      imports: [IngestModule],
    });
    ingest = ingestApp.moduleRef.get(IngestService);
    worker = await createIntegrationModule({
      role: 'worker',
      database,
      env: { REDIS_PREFIX: prefix },
      imports: [JobWorkersModule, MonitoringJobsModule, NotificationsJobsModule, AlertingJobsModule],
    });
  });

  afterAll(async () => {
    await ingestApp?.close();
    await worker?.close();
    await database?.drop();
    await deleteRedisKeys(prefix);
  });

  it('alerts on 200/130 whose pulse is NaN, storing both pressures and naming the missing pulse', async () => {
    const { patient, device } = await newPatient(['hypertension']);
    const value = bleHex(u8(0x04), sfloat(200), sfloat(130), sfloat(153), u16(SFLOAT_SPECIAL.NaN));
    const outcome = await store(ble(device, 'bp-nan-pulse', '2A35', value));
    expect(outcome.receipts.map((r) => r.receipt.status)).toEqual(['stored']);
    const readings = await readingsOf(device);
    expect(readings.map((r) => [r.type, r.value, r.flags])).toEqual([
      ['blood_pressure_diastolic', 130, ['field_unavailable:heart_rate']],
      ['blood_pressure_systolic', 200, ['field_unavailable:heart_rate']],
    ]);
    const [alert] = await waitFor(async () => {
      const alerts = await alertsOf(patient);
      return alerts.length > 0 && alerts;
    });
    expect(alert).toMatchObject({ rule_id: 'hypertension.bp.crisis', severity: 'critical' });
  });

  it('stores a glucose meter’s HI at 600 mg/dL, flagged, and raises a critical alert saying so', async () => {
    const { patient, device } = await newPatient(['diabetes']);
    const hi = bleHex(
      u8(0x02),
      u16(12),
      wallClock(new Date(), 0),
      u16(SFLOAT_SPECIAL['+INFINITY']),
      u8(0x11),
    );
    await store(ble(device, 'glucose-hi', '2A18', hi, 'utc'));
    expect((await readingsOf(device)).map((r) => [r.type, r.value, r.flags])).toEqual([
      ['blood_glucose', 600, ['above_range']],
    ]);
    const alerts = await waitFor(async () => {
      const found = await alertsOf(patient);
      return found.length > 0 && found;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0].severity).toBe('critical');
    expect(alerts[0].summary).toContain('meter read HI (above its measuring range)');
  });

  it('stores a LO at 20 mg/dL and raises a critical low alert saying so', async () => {
    const { patient, device } = await newPatient(['diabetes']);
    const lo = bleHex(
      u8(0x02),
      u16(13),
      wallClock(new Date(), 0),
      u16(SFLOAT_SPECIAL['-INFINITY']),
      u8(0x11),
    );
    await store(ble(device, 'glucose-lo', '2A18', lo, 'utc'));
    const [alert] = await waitFor(async () => {
      const found = await alertsOf(patient);
      return found.length > 0 && found;
    });
    expect(alert).toMatchObject({ severity: 'critical', trigger_value: 20 });
    expect(alert.summary).toContain('meter read LO (below its measuring range)');
  });

  it('rejects a 300 mg/dL control-solution test and an oximeter’s demo record: no reading, no alert', async () => {
    const { patient, device } = await newPatient(['diabetes', 'copd']);
    const control = bleHex(u8(0x02), u16(14), wallClock(new Date(), 0), sfloat(300, -5), u8(0x1a));
    const demo = bleHex(u8(0x02), sfloat(80), sfloat(70), u16(1 << 10));
    const outcome = await store(ble(device, 'control', '2A18', control), ble(device, 'demo', '2A5E', demo));
    expect(outcome.receipts.map((r) => r.receipt)).toEqual([
      { messageId: 'control', status: 'rejected', reason: 'control_solution' },
      { messageId: 'demo', status: 'rejected', reason: 'device_test_data' },
    ]);
    expect(await readingsOf(device)).toEqual([]);
    // Give a wrongly queued evaluation time to show itself.
    await sleep(500);
    expect(await alertsOf(patient)).toEqual([]);
  });

  it('raises one info notice per device and day for implausible values, and keeps them out of readings', async () => {
    const { patient, device } = await newPatient([]);
    const spo2 = (value: number) => bleHex(u8(0), sfloat(value), sfloat(70));
    const outcome = await store(ble(device, 'spo2-12', '2A5E', spo2(12)));
    expect(outcome.receipts[0].receipt).toEqual({
      messageId: 'spo2-12',
      status: 'rejected',
      reason: 'implausible_value',
    });
    const [notice] = await waitFor(async () => {
      const alerts = await alertsOf(patient);
      return alerts.length > 0 && alerts;
    });
    expect(notice).toMatchObject({
      rule_id: 'device.implausible',
      severity: 'info',
      status: 'open',
      summary: 'implausible SpO2 12 % — check the device',
      trigger_type: 'oxygen_saturation',
      trigger_value: 12,
    });
    // Resolved the same day, a second implausible value raises nothing more.
    await database.pool.query(
      "UPDATE alerts SET status = 'resolved', closed_at = now() WHERE patient_id = $1",
      [patient],
    );
    await store(ble(device, 'spo2-9', '2A5E', spo2(9)));
    await waitFor(
      async () =>
        Number(
          (
            await database.pool.query<{ count: string }>(
              "SELECT count(*) FROM reading_rejections WHERE device_ref = $1 AND reason = 'implausible_value'",
              [device],
            )
          ).rows[0].count,
        ) === 2,
    );
    await sleep(800);
    expect(await alertsOf(patient)).toHaveLength(1);
    expect(await readingsOf(device)).toEqual([]);
    const notices = await database.pool.query('SELECT kind FROM device_notices WHERE device_id = $1', [
      device,
    ]);
    expect(notices.rows).toEqual([{ kind: 'device.implausible' }]);
  });

  it('reads a device clock on local time in the patient’s zone: Tokyo stored when measured, not refused', async () => {
    const { device } = await newPatient([], 'Asia/Tokyo');
    const measured = new Date(Date.now() - 60_000);
    const value = bleHex(u8(0x02), sfloat(128), sfloat(84), sfloat(99), wallClock(measured, 9));
    const outcome = await store(ble(device, 'tokyo-local', '2A35', value));
    expect(outcome.receipts[0].receipt.status).toBe('stored');
    const [reading] = await readingsOf(device);
    expect(
      Math.abs(reading.measured_at.getTime() - Math.floor(measured.getTime() / 1000) * 1000),
    ).toBeLessThan(1000);
    expect(reading.flags).toBeNull();
  });

  it.each([-14, -9, -1, 1, 5, 14])(
    'stores a reading from a clock %i h off, flagged clock_suspect on its readings and its message',
    async (hours) => {
      // Tokyo keeps UTC+9 all year: the clock shows Tokyo time shifted by `hours`.
      const { device } = await newPatient([], 'Asia/Tokyo');
      const value = bleHex(u8(0x02), sfloat(128), sfloat(84), sfloat(99), wallClock(new Date(), 9 + hours));
      const outcome = await store(ble(device, `clock-${hours}`, '2A35', value));
      expect(outcome.receipts[0].receipt.status).toBe('stored');
      const readings = await readingsOf(device);
      expect(readings.map((r) => r.flags)).toEqual([['clock_suspect'], ['clock_suspect']]);
      const view = await database.pool.query<{ clock_suspect: boolean }>(
        'SELECT clock_suspect FROM device_messages WHERE device_id = $1',
        [device],
      );
      expect(view.rows).toEqual([{ clock_suspect: true }]);
    },
  );
});
