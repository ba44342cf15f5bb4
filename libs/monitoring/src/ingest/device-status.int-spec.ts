import type { TestingModule } from '@nestjs/testing';
import { readingsTopic, statusTopic } from '@homeward/contracts';
import type { InboundMessage } from '@homeward/platform';
import {
  createDevice,
  createIntegrationModule,
  createOrganization,
  createPatient,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { IngestModule } from '../monitoring.module';
import { IngestService } from './ingest.service';

function status(deviceId: string, body: Record<string, unknown>): InboundMessage {
  return { topic: statusTopic(deviceId), payload: Buffer.from(JSON.stringify(body)), receivedAt: new Date() };
}

function weight(
  deviceId: string,
  messageId: string,
  measuredAt = new Date(Date.now() - 60_000),
): InboundMessage {
  const body = {
    messageId,
    measuredAt: measuredAt.toISOString(),
    readings: [{ type: 'body_weight', value: 80, unit: 'kg' }],
  };
  return {
    topic: readingsTopic(deviceId),
    payload: Buffer.from(JSON.stringify(body)),
    receivedAt: new Date(),
  };
}

describe('IngestService: device status messages and deactivated devices', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let integration: IntegrationModule;
  let ingest: IngestService;
  let organization: string;
  let patient: string;

  const statusOf = async (deviceId: string) =>
    (
      await database.pool.query<{
        message_id: string;
        reported_at: Date;
        firmware_version: string | null;
        battery_level: number | null;
        signal_strength: number | null;
      }>(
        'SELECT message_id, reported_at, firmware_version, battery_level, signal_strength FROM device_status WHERE device_id = $1',
        [deviceId],
      )
    ).rows[0];
  const rejections = async (deviceId: string) =>
    (
      await database.pool.query<{ reason: string; message_id: string | null }>(
        'SELECT reason, message_id FROM reading_rejections WHERE device_ref = $1 ORDER BY id',
        [deviceId],
      )
    ).rows;

  /**
   * An ingest of its own, remembering device routes for a minute (the default) from what the
   * test stores only; closed also when an expectation fails (its pool would keep the database open).
   */
  const withRouteCache = async (run: (ingest: IngestService) => Promise<void>) => {
    const cached = await createIntegrationModule({
      role: 'ingest',
      database,
      env: { MQTT_URL: 'mqtt://127.0.0.1:1' },
      imports: [IngestModule],
    });
    try {
      await run(cached.moduleRef.get(IngestService));
    } finally {
      await cached.close();
    }
  };

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'ingest',
      // Routes of active devices are cached as deployed (a minute); unknown ids are not.
      env: { MQTT_URL: 'mqtt://127.0.0.1:1', DEVICE_ROUTE_CACHE_MS: '60000', UNKNOWN_DEVICE_CACHE_MS: '0' },
      imports: [IngestModule],
    });
    ({ moduleRef, database } = integration);
    ingest = moduleRef.get(IngestService);
    organization = await createOrganization(database.pool);
    patient = await createPatient(database.pool, organization);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('stores the latest status; an older one changes nothing, a field left out keeps its value', async () => {
    const device = await createDevice(database.pool, organization, patient);
    await ingest.storeBatch(
      [
        status(device, {
          messageId: 's-2',
          reportedAt: '2026-01-02T10:00:00Z',
          firmwareVersion: '2.0.0',
          batteryLevel: 80,
          signalStrength: -60,
        }),
      ],
      'ingest-test',
    );
    // Older, then newer without a firmware version, in one batch.
    const outcome = await ingest.storeBatch(
      [
        status(device, {
          messageId: 's-1',
          reportedAt: '2026-01-01T10:00:00Z',
          firmwareVersion: '1.0.0',
          batteryLevel: 99,
        }),
        status(device, { messageId: 's-3', reportedAt: '2026-01-03T10:00:00Z', batteryLevel: 70 }),
      ],
      'ingest-test',
    );
    expect(outcome).toMatchObject({ messages: 2, rejectedMessages: 0, storedReadings: 0 });
    expect(await statusOf(device)).toEqual({
      message_id: 's-3',
      reported_at: new Date('2026-01-03T10:00:00Z'),
      firmware_version: '2.0.0',
      battery_level: 70,
      signal_strength: -60,
    });
    await ingest.storeBatch(
      [status(device, { messageId: 's-0', reportedAt: '2025-12-31T10:00:00Z', batteryLevel: 5 })],
      'ingest-test',
    );
    expect((await statusOf(device)).battery_level).toBe(70);
  });

  it('merges two partial statuses of one batch in order: the firmware of the first survives a battery-only second', async () => {
    const device = await createDevice(database.pool, organization, patient);
    await ingest.storeBatch(
      [status(device, { messageId: 'f-0', reportedAt: '2026-02-01T09:00:00Z', firmwareVersion: '3.0.0' })],
      'ingest-test',
    );
    await ingest.storeBatch(
      [
        status(device, { messageId: 'f-1', reportedAt: '2026-02-01T10:00:00Z', firmwareVersion: '3.0.1' }),
        status(device, { messageId: 'f-2', reportedAt: '2026-02-01T10:05:00Z', batteryLevel: 64 }),
      ],
      'ingest-test',
    );
    expect(await statusOf(device)).toMatchObject({
      message_id: 'f-2',
      firmware_version: '3.0.1',
      battery_level: 64,
    });
  });

  it('rejects an invalid status with its reason, and a status of an unknown device', async () => {
    const device = await createDevice(database.pool, organization, patient);
    const unknown = '00000000-0000-4000-8000-000000000001';
    await ingest.storeBatch(
      [
        status(device, { messageId: 'bad-1', reportedAt: '2026-01-01T10:00:00Z', batteryLevel: 140 }),
        status(unknown, { messageId: 'u-1', reportedAt: '2026-01-01T10:00:00Z' }),
      ],
      'ingest-test',
    );
    expect(await rejections(device)).toEqual([{ reason: 'schema_violation', message_id: 'bad-1' }]);
    expect(await rejections(unknown)).toEqual([{ reason: 'unknown_device', message_id: 'u-1' }]);
    expect(await statusOf(device)).toBeUndefined();
  });

  it('rejects readings and status of a deactivated device as device_deactivated, and stores them again once reactivated', async () => {
    const device = await createDevice(database.pool, organization, patient);
    await database.pool.query('UPDATE devices SET revoked_at = now() WHERE id = $1', [device]);
    const outcome = await ingest.storeBatch(
      [
        weight(device, 'while-off'),
        status(device, { messageId: 'st-off', reportedAt: new Date().toISOString() }),
      ],
      'ingest-test',
    );
    expect(outcome).toMatchObject({ storedReadings: 0, rejectedMessages: 2 });
    expect(await rejections(device)).toEqual([
      { reason: 'device_deactivated', message_id: 'while-off' },
      { reason: 'device_deactivated', message_id: 'st-off' },
    ]);
    await database.pool.query('UPDATE devices SET revoked_at = NULL WHERE id = $1', [device]);
    expect(await ingest.storeBatch([weight(device, 'back-on')], 'ingest-test')).toMatchObject({
      storedReadings: 1,
    });
  });

  it('gives each reading of a reassigned device to the patient it was with when measured, from the next batch on', async () => {
    // Routes are cached for a minute (the default); the route version still makes the move count at once.
    await withRouteCache(async (ingest) => {
      const device = await createDevice(database.pool, organization, patient);
      const other = await createPatient(database.pool, organization);
      const beforeMove = new Date();
      await ingest.storeBatch([weight(device, 'before-move', beforeMove)], 'ingest-test');
      await database.pool.query('UPDATE devices SET patient_id = $2 WHERE id = $1', [device, other]);
      // A hub's backlog measured before the move but uploaded after it, and a fresh measurement.
      await ingest.storeBatch(
        [
          weight(device, 'backlog', new Date(beforeMove.getTime() + 1)),
          weight(device, 'after-move', new Date(Date.now() + 10)),
        ],
        'ingest-test',
      );
      const { rows } = await database.pool.query<{ message_id: string; patient_id: string }>(
        'SELECT message_id, patient_id FROM readings WHERE device_id = $1 ORDER BY message_id',
        [device],
      );
      expect(rows).toEqual([
        { message_id: 'after-move', patient_id: other },
        { message_id: 'backlog', patient_id: patient },
        { message_id: 'before-move', patient_id: patient },
      ]);
    });
  });

  it('rejects a status-only batch from a device deactivated after its route was cached, and a readings batch too', async () => {
    // Neither batch asks for the route version first: the status batch checks it in its
    // transaction, the readings batch in its one statement; each is prepared again when it moved.
    await withRouteCache(async (ingest) => {
      const device = await createDevice(database.pool, organization, patient);
      expect(await ingest.storeBatch([weight(device, 'on')], 'ingest-test')).toMatchObject({
        storedReadings: 1,
      });
      await database.pool.query('UPDATE devices SET revoked_at = now() WHERE id = $1', [device]);
      const statusOnly = await ingest.storeBatch(
        [status(device, { messageId: 'st-after-off', reportedAt: new Date().toISOString() })],
        'ingest-test',
      );
      expect(statusOnly).toMatchObject({ rejectedMessages: 1 });
      await database.pool.query('UPDATE devices SET revoked_at = NULL WHERE id = $1', [device]);
      expect(await ingest.storeBatch([weight(device, 'on-again')], 'ingest-test')).toMatchObject({
        storedReadings: 1,
      });
      await database.pool.query('UPDATE devices SET revoked_at = now() WHERE id = $1', [device]);
      expect(await ingest.storeBatch([weight(device, 'after-off')], 'ingest-test')).toMatchObject({
        storedReadings: 0,
        rejectedMessages: 1,
      });
      expect(await rejections(device)).toEqual([
        { reason: 'device_deactivated', message_id: 'st-after-off' },
        { reason: 'device_deactivated', message_id: 'after-off' },
      ]);
    });
  });
});
