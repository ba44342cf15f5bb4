import type { TestingModule } from '@nestjs/testing';
import { bleTopic, readingsTopic } from '@homeward/contracts';
import type { InboundMessage } from '@homeward/platform';
import {
  bleHex,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  sfloat,
  u16,
  u8,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { IngestModule } from '../monitoring.module';
import { IngestService } from './ingest.service';

// Within ALERT_LATE_AFTER_MINUTES (60 by default): these readings are not late.
const MEASURED_AT = new Date(Date.now() - 1_800_000);
const HOURS_AGO = (hours: number) => new Date(Date.now() - hours * 3_600_000);

function weight(deviceId: string, messageId: string, kg = 80, measuredAt = MEASURED_AT): InboundMessage {
  return raw(
    deviceId,
    JSON.stringify({
      messageId,
      measuredAt: measuredAt.toISOString(),
      readings: [{ type: 'body_weight', value: kg, unit: 'kg' }],
    }),
  );
}

function raw(deviceId: string, payload: string): InboundMessage {
  return { topic: readingsTopic(deviceId), payload: Buffer.from(payload), receivedAt: new Date() };
}

/** A Bluetooth LE blood-pressure measurement without a time stamp, its status raising irregular pulse. */
function bleBloodPressure(deviceId: string, messageId: string, systolic = 134): InboundMessage {
  const value = bleHex(u8(0x10), sfloat(systolic), sfloat(86), sfloat(102), u16(0x0004));
  return {
    topic: bleTopic(deviceId),
    payload: Buffer.from(
      JSON.stringify({ messageId, characteristic: '2A35', value, receivedAt: MEASURED_AT.toISOString() }),
    ),
    receivedAt: new Date(),
  };
}

describe('IngestService against PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let ingest: IngestService;
  let deviceA: string;
  let deviceB: string;
  let integration: IntegrationModule;

  const count = async (sql: string, values: unknown[] = []) =>
    Number((await database.pool.query<{ count: string }>(sql, values)).rows[0].count);
  const rejections = async () =>
    (
      await database.pool.query<{
        reason: string;
        message_id: string | null;
        detail: string;
        payload_excerpt: string;
      }>('SELECT reason, message_id, detail, payload_excerpt FROM reading_rejections ORDER BY id')
    ).rows;

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'ingest',
      env: { MQTT_URL: 'mqtt://127.0.0.1:1' },
      imports: [IngestModule],
    });
    ({ moduleRef, database } = integration);
    ingest = moduleRef.get(IngestService);
    const org = await createOrganization(database.pool);
    const patient = await createPatient(database.pool, org);
    deviceA = await createDevice(database.pool, org, patient);
    deviceB = await createDevice(database.pool, org, patient);
  });

  afterAll(async () => {
    await integration?.close();
  });

  beforeEach(async () => {
    await database.pool.query('TRUNCATE readings, device_messages, reading_rejections, ingest_batches');
  });

  it('sets aside the one message the database refuses and stores the rest of its batch', async () => {
    // A failure no validation foresees: the database refuses one row.
    await database.pool.query(
      "ALTER TABLE readings ADD CONSTRAINT test_poison CHECK (message_id <> 'poison-7')",
    );
    try {
      const batch = Array.from({ length: 20 }, (_, i) => weight(i % 2 ? deviceA : deviceB, `poison-${i}`));
      const outcome = await ingest.storeBatch(batch, 'ingest-test');

      expect(outcome).toMatchObject({ messages: 20, storedReadings: 19, rejectedMessages: 1 });
      expect(await count('SELECT count(*) FROM readings')).toBe(19);
      expect(await count("SELECT count(*) FROM readings WHERE message_id = 'poison-7'")).toBe(0);
      const [rejection] = await rejections();
      expect(rejection).toMatchObject({ reason: 'processing_failed', message_id: 'poison-7' });
      expect(rejection.detail).toContain('test_poison');
      expect(rejection.detail).toContain('SQLSTATE 23514');
      // Every committed part is queued for evaluation.
      expect(await count('SELECT count(*) FROM ingest_batches')).toBe(outcome.batchIds.length);
    } finally {
      await database.pool.query('ALTER TABLE readings DROP CONSTRAINT test_poison');
    }
  });

  it('stores the other devices’ messages when one carries NUL in its messageId or a field name', async () => {
    const batch = [
      raw(deviceA, `{"messageId":"nul\\u0000id","measuredAt":"${MEASURED_AT.toISOString()}","readings":[]}`),
      raw(
        deviceA,
        `{"messageId":"nul-field","measuredAt":"${MEASURED_AT.toISOString()}","readings":[{"type":"body_weight","value":80,"unit":"kg"}],"x\\u0000":1}`,
      ),
      ...Array.from({ length: 20 }, (_, i) => weight(deviceB, `clean-${i}`)),
    ];
    const outcome = await ingest.storeBatch(batch, 'ingest-test');

    expect(outcome).toMatchObject({ storedReadings: 20, rejectedMessages: 2 });
    expect(outcome.batchIds).toHaveLength(1);
    const stored = await rejections();
    expect(stored.map((r) => r.reason)).toEqual(['invalid_characters', 'invalid_characters']);
    expect(stored[0].message_id).toBe('nul\\u0000id');
    expect(stored[1].payload_excerpt).toContain('"x\\u0000":1');
  });

  it('stores a messageId once per device: a redelivery is a duplicate, other contents a conflicting_duplicate', async () => {
    await ingest.storeBatch([weight(deviceA, 'm-1', 80)], 'ingest-test');
    const later = new Date(MEASURED_AT.getTime() + 60_000);
    const outcome = await ingest.storeBatch(
      [
        weight(deviceA, 'm-1', 80), // the same message again
        weight(deviceA, 'm-1', 81), // another body under the same id
        weight(deviceA, 'm-1', 80, later), // another measuredAt under the same id
        weight(deviceB, 'm-1', 90), // the same id from another device is another message
      ],
      'ingest-test',
    );

    expect(outcome).toMatchObject({ storedReadings: 1, duplicateMessages: 1, rejectedMessages: 2 });
    expect(await count('SELECT count(*) FROM readings WHERE device_id = $1', [deviceA])).toBe(1);
    const { rows } = await database.pool.query<{ value: number }>(
      'SELECT value FROM readings WHERE device_id = $1',
      [deviceA],
    );
    expect(rows[0].value).toBe(80);
    expect((await rejections()).map((r) => [r.reason, r.message_id]).sort()).toEqual([
      ['conflicting_duplicate', 'm-1'],
      ['conflicting_duplicate', 'm-1'],
    ]);
  });

  it('keeps each reading with its own message when taken ids sit between new ones, values exact', async () => {
    await ingest.storeBatch([weight(deviceA, 'old-1', 70), weight(deviceB, 'old-2', 71)], 'ingest-test');
    const cuff = raw(
      deviceA,
      JSON.stringify({
        messageId: 'cuff.1:a-b_c',
        measuredAt: MEASURED_AT.toISOString(),
        readings: [
          { type: 'blood_pressure_systolic', value: 141, unit: 'mm[Hg]' },
          { type: 'blood_pressure_diastolic', value: 92, unit: 'mm[Hg]' },
          { type: 'heart_rate', value: 77, unit: '/min' },
        ],
      }),
    );
    const outcome = await ingest.storeBatch(
      [
        weight(deviceB, 'new-1', 80.123456789012),
        weight(deviceA, 'old-1', 70), // a redelivery
        cuff,
        weight(deviceB, 'old-2', 99), // a taken id with other contents
        weight(deviceA, 'new-2', 1e308), // far past any body weight
        weight(deviceB, 'new-3', 60.1 + 0.2),
      ],
      'ingest-test',
    );

    expect(
      outcome.receipts.map(({ receipt }) => [receipt.messageId, receipt.status, receipt.reason]),
    ).toEqual([
      ['new-1', 'stored', undefined],
      ['old-1', 'duplicate', undefined],
      ['cuff.1:a-b_c', 'stored', undefined],
      ['old-2', 'rejected', 'conflicting_duplicate'],
      ['new-2', 'rejected', 'implausible_value'],
      ['new-3', 'stored', undefined],
    ]);
    const { rows } = await database.pool.query<{
      device_id: string;
      message_id: string;
      type: string;
      value: number;
    }>(
      `SELECT device_id, message_id, type, value FROM readings WHERE batch_id = $1 ORDER BY message_id, type`,
      [outcome.batchIds[0]],
    );
    expect(rows).toEqual([
      { device_id: deviceA, message_id: 'cuff.1:a-b_c', type: 'blood_pressure_diastolic', value: 92 },
      { device_id: deviceA, message_id: 'cuff.1:a-b_c', type: 'blood_pressure_systolic', value: 141 },
      { device_id: deviceA, message_id: 'cuff.1:a-b_c', type: 'heart_rate', value: 77 },
      { device_id: deviceB, message_id: 'new-1', type: 'body_weight', value: 80.123456789012 },
      { device_id: deviceB, message_id: 'new-3', type: 'body_weight', value: 60.1 + 0.2 },
    ]);
    // The first contents of the taken ids stay as they were.
    expect(await count("SELECT count(*) FROM readings WHERE message_id LIKE 'old-%'")).toBe(2);
    expect(await count('SELECT count(*) FROM readings WHERE value = 99')).toBe(0);
  });

  it('records what an implausible value refused and whose it was, for a registered device only', async () => {
    const stranger = '0f0e0d0c-0b0a-4909-8807-060504030201';
    await ingest.storeBatch(
      [
        weight(deviceA, 'too-heavy', 900),
        weight(stranger, 'stranger-heavy', 900),
        weight(deviceB, 'fine', 80),
      ],
      'ingest-test',
    );
    const { rows } = await database.pool.query<{
      device_ref: string;
      patient_id: string | null;
      vital_type: string | null;
      vital_value: number | null;
      vital_unit: string | null;
    }>(
      `SELECT device_ref, patient_id, vital_type, vital_value, vital_unit FROM reading_rejections
       WHERE reason = 'implausible_value' ORDER BY message_id DESC`,
    );
    const patient = (
      await database.pool.query<{ patient_id: string }>('SELECT patient_id FROM devices WHERE id = $1', [
        deviceA,
      ])
    ).rows[0].patient_id;
    expect(rows).toEqual([
      {
        device_ref: deviceA,
        patient_id: patient,
        vital_type: 'body_weight',
        vital_value: 900,
        vital_unit: 'kg',
      },
      { device_ref: stranger, patient_id: null, vital_type: null, vital_value: null, vital_unit: null },
    ]);
  });

  it('tells a duplicate from a conflict within one batch too', async () => {
    const outcome = await ingest.storeBatch(
      [weight(deviceA, 'twice', 70), weight(deviceA, 'twice', 70), weight(deviceA, 'twice', 71)],
      'ingest-test',
    );
    expect(outcome).toMatchObject({ storedReadings: 1, duplicateMessages: 1, rejectedMessages: 1 });
    expect((await rejections()).map((r) => r.reason)).toEqual(['conflicting_duplicate']);
  });

  it('stores a BLE measurement’s readings with its status flags, once per messageId', async () => {
    await ingest.storeBatch([bleBloodPressure(deviceA, 'ble-1')], 'ingest-test');
    const outcome = await ingest.storeBatch(
      [bleBloodPressure(deviceA, 'ble-1'), bleBloodPressure(deviceA, 'ble-1', 150)],
      'ingest-test',
    );

    expect(outcome).toMatchObject({ storedReadings: 0, duplicateMessages: 1, rejectedMessages: 1 });
    const { rows } = await database.pool.query<{
      type: string;
      value: number;
      flags: string[];
      measured_at: Date;
    }>('SELECT type, value, flags, measured_at FROM readings WHERE device_id = $1 ORDER BY type', [deviceA]);
    expect(rows).toEqual([
      { type: 'blood_pressure_diastolic', value: 86, flags: ['irregular_pulse'], measured_at: MEASURED_AT },
      { type: 'blood_pressure_systolic', value: 134, flags: ['irregular_pulse'], measured_at: MEASURED_AT },
    ]);
    expect((await rejections()).map((r) => r.reason)).toEqual(['conflicting_duplicate']);
  });

  it('rejects a BLE value the decoder cannot read with the decoder’s reason', async () => {
    const truncated = bleBloodPressure(deviceA, 'ble-short');
    truncated.payload = Buffer.from(
      JSON.stringify({
        messageId: 'ble-short',
        characteristic: '2a35',
        value: '0078',
        receivedAt: MEASURED_AT.toISOString(),
      }),
    );
    const outcome = await ingest.storeBatch([truncated, weight(deviceB, 'fine')], 'ingest-test');

    expect(outcome).toMatchObject({ storedReadings: 1, rejectedMessages: 1 });
    expect((await rejections()).map((r) => [r.reason, r.message_id]).sort()).toEqual([
      ['truncated', 'ble-short'],
    ]);
    const { rows } = await database.pool.query<{ flags: string[] | null }>(
      'SELECT flags FROM readings WHERE device_id = $1',
      [deviceB],
    );
    expect(rows).toEqual([{ flags: null }]);
  });

  it('reports each message’s outcome for its device’s receipt, hub batch messages one by one', async () => {
    await ingest.storeBatch([weight(deviceA, 'r-stored-before')], 'ingest-test');
    const hubBatch = raw(
      deviceB,
      JSON.stringify({
        messages: [
          JSON.parse(weight(deviceB, 'hub-1').payload.toString()),
          { messageId: 'hub-2', measuredAt: MEASURED_AT.toISOString(), readings: [] },
          JSON.parse(weight(deviceB, 'hub-3').payload.toString()),
        ],
      }),
    );
    const outcome = await ingest.storeBatch(
      [
        weight(deviceA, 'r-new'),
        weight(deviceA, 'r-stored-before'),
        weight(deviceA, 'r-stored-before', 99),
        raw(deviceA, '{"messageId":'),
        { ...weight(deviceA, 'no-device'), topic: 'v1/devices/not-a-device/readings' },
        hubBatch,
      ],
      'ingest-test',
    );

    expect(outcome).toMatchObject({
      messages: 8,
      storedReadings: 3,
      duplicateMessages: 1,
      rejectedMessages: 4,
    });
    expect(outcome.receipts).toEqual([
      { deviceId: deviceA, receipt: { messageId: 'r-new', status: 'stored' } },
      { deviceId: deviceA, receipt: { messageId: 'r-stored-before', status: 'duplicate' } },
      {
        deviceId: deviceA,
        receipt: { messageId: 'r-stored-before', status: 'rejected', reason: 'conflicting_duplicate' },
      },
      { deviceId: deviceA, receipt: { messageId: null, status: 'rejected', reason: 'invalid_json' } },
      { deviceId: deviceB, receipt: { messageId: 'hub-1', status: 'stored' } },
      { deviceId: deviceB, receipt: { messageId: 'hub-2', status: 'rejected', reason: 'schema_violation' } },
      { deviceId: deviceB, receipt: { messageId: 'hub-3', status: 'stored' } },
    ]);
    // The rejected message of the hub batch is recorded with its own payload, not the batch's.
    const hubRejection = (await rejections()).find((r) => r.message_id === 'hub-2');
    expect(JSON.parse(hubRejection!.payload_excerpt)).toMatchObject({ messageId: 'hub-2', readings: [] });
    expect(hubRejection!.detail).toMatch(/^\/messages\/1: /);
  });

  it('gives the message that is set aside a rejected receipt with processing_failed', async () => {
    await database.pool.query(
      "ALTER TABLE readings ADD CONSTRAINT test_poison CHECK (message_id <> 'poison-r')",
    );
    try {
      const outcome = await ingest.storeBatch(
        [weight(deviceA, 'ok-r'), weight(deviceA, 'poison-r')],
        'ingest-test',
      );
      expect(outcome.receipts.map(({ receipt }) => receipt)).toEqual([
        { messageId: 'ok-r', status: 'stored' },
        { messageId: 'poison-r', status: 'rejected', reason: 'processing_failed' },
      ]);
    } finally {
      await database.pool.query('ALTER TABLE readings DROP CONSTRAINT test_poison');
    }
  });

  it('flags a reading measured longer ago than ALERT_LATE_AFTER_MINUTES late, and a later redelivery is still a duplicate', async () => {
    const measuredAt = HOURS_AGO(2);
    const first = await ingest.storeBatch(
      [weight(deviceA, 'late-1', 80, measuredAt), weight(deviceA, 'on-time-1')],
      'ingest-test',
    );
    expect(first.receipts.map(({ receipt }) => receipt.status)).toEqual(['stored', 'stored']);
    // The same message, redelivered after the late horizon has passed for it too.
    const again = await ingest.storeBatch([weight(deviceA, 'late-1', 80, measuredAt)], 'ingest-test');
    expect(again.receipts).toEqual([
      { deviceId: deviceA, receipt: { messageId: 'late-1', status: 'duplicate' } },
    ]);

    const { rows } = await database.pool.query<{ message_id: string; flags: string[] | null }>(
      'SELECT message_id, flags FROM readings WHERE device_id = $1 ORDER BY message_id',
      [deviceA],
    );
    expect(rows).toEqual([
      { message_id: 'late-1', flags: ['late'] },
      { message_id: 'on-time-1', flags: null },
    ]);
    expect(await rejections()).toEqual([]);
  });

  it('keeps a late BLE measurement’s own flags beside late, and its redelivery a duplicate', async () => {
    const receivedAt = HOURS_AGO(3).toISOString();
    const late = (): InboundMessage => {
      const message = bleBloodPressure(deviceA, 'ble-late');
      const body = JSON.parse(message.payload.toString()) as Record<string, unknown>;
      message.payload = Buffer.from(JSON.stringify({ ...body, receivedAt }));
      return message;
    };
    await ingest.storeBatch([late()], 'ingest-test');
    const again = await ingest.storeBatch([late()], 'ingest-test');
    expect(again).toMatchObject({ duplicateMessages: 1, rejectedMessages: 0 });
    const { rows } = await database.pool.query<{ flags: string[] }>(
      'SELECT DISTINCT flags FROM readings WHERE device_id = $1',
      [deviceA],
    );
    expect(rows).toEqual([{ flags: ['irregular_pulse', 'late'] }]);
  });
  it('rejects with no_consent, storing nothing, the messages of a patient whose consent was revoked after they arrived', async () => {
    const org = await createOrganization(database.pool);
    const consenting = await createDevice(database.pool, org, await createPatient(database.pool, org));
    const revokedPatient = await createPatient(database.pool, org);
    const revoking = await createDevice(database.pool, org, revokedPatient);
    const neverConsented = await createDevice(
      database.pool,
      org,
      await createPatient(database.pool, org, { consent: false }),
    );
    // Arrived (and parsed) while the consent was active: queued, as a held batch is.
    const queued = [
      weight(consenting, 'c-1'),
      weight(revoking, 'r-1'),
      weight(revoking, 'r-1'),
      weight(neverConsented, 'n-1'),
    ];
    for (const message of queued) ingest.readingsOnArrival(message);
    await database.pool.query(
      `UPDATE patient_consents SET status = 'revoked', revoked_at = now(), revoke_reason = 'test'
       WHERE patient_id = $1 AND scope = 'rpm_monitoring'`,
      [revokedPatient],
    );

    const outcome = await ingest.storeBatch(queued, 'ingest-test');

    expect(
      outcome.receipts.map(({ receipt }) => [receipt.messageId, receipt.status, receipt.reason]),
    ).toEqual([
      ['c-1', 'stored', undefined],
      ['r-1', 'rejected', 'no_consent'],
      ['r-1', 'rejected', 'no_consent'],
      ['n-1', 'rejected', 'no_consent'],
    ]);
    expect(outcome).toMatchObject({ storedReadings: 1, rejectedMessages: 3, duplicateMessages: 0 });
    expect(
      await count('SELECT count(*) FROM readings WHERE device_id = ANY($1)', [[revoking, neverConsented]]),
    ).toBe(0);
    expect(
      await count('SELECT count(*) FROM device_messages WHERE device_id = ANY($1)', [
        [revoking, neverConsented],
      ]),
    ).toBe(0);
    expect((await rejections()).map((r) => [r.reason, r.message_id]).sort()).toEqual([
      ['no_consent', 'n-1'],
      ['no_consent', 'r-1'],
      ['no_consent', 'r-1'],
    ]);

    // Consent recorded again: the device's resend of a new message is stored.
    await database.pool.query(
      `INSERT INTO patient_consents (organization_id, patient_id, scope, method, given_at)
       VALUES ($1, $2, 'rpm_monitoring', 'written', now())`,
      [org, revokedPatient],
    );
    const resumed = await ingest.storeBatch([weight(revoking, 'r-2')], 'ingest-test');
    expect(resumed.receipts.map(({ receipt }) => receipt.status)).toEqual(['stored']);
  });
});
