import type { TestingModule } from '@nestjs/testing';
import { VITAL_TYPES, readingsTopic } from '@homeward/contracts';
import type { Principal } from '@homeward/access';
import { PatientService } from '@homeward/patients';
import type { InboundMessage } from '@homeward/platform';
import {
  assignToCareTeam,
  createDevice,
  createIntegrationModule,
  createOrganization,
  createUser,
  recordConsent,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { IngestModule, VitalsModule } from '../monitoring.module';
import { IngestService } from '../ingest/ingest.service';
import { ADHERENCE_WINDOW_DAYS, ReadingSummaryService } from './reading-summary.service';

const MINUTE = 60_000;

function weight(deviceId: string, messageId: string, measuredAt: Date, kg = 80): InboundMessage {
  return {
    topic: readingsTopic(deviceId),
    payload: Buffer.from(
      JSON.stringify({
        messageId,
        measuredAt: measuredAt.toISOString(),
        readings: [{ type: 'body_weight', value: kg, unit: 'kg' }],
      }),
    ),
    receivedAt: new Date(),
  };
}

describe('Adherence day rollup (patient_reading_days) kept by ingest and by time-zone changes', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let integration: IntegrationModule;
  let ingest: IngestService;
  let summary: ReadingSummaryService;
  let organization: string;
  let principal: Principal;

  const patient = async (timeZone: string | null, demoKey: string | null = null) => {
    const { rows } = await database.pool.query<{ id: string }>(
      `INSERT INTO patients (organization_id, given_name, family_name, birth_date, time_zone, demo_key)
       VALUES ($1, 'Day', 'Rollup', '1950-01-01', $2, $3) RETURNING id`,
      [organization, timeZone, demoKey],
    );
    // In the organisation's default care team, as its coordinator made by createUser is.
    await assignToCareTeam(database.pool, organization, rows[0].id);
    await recordConsent(database.pool, rows[0].id);
    const device = await createDevice(database.pool, organization, rows[0].id);
    return { id: rows[0].id, device, timeZone };
  };

  /** Local midnight in `zone`, `daysAgo` days before today's there. */
  const localMidnight = async (zone: string, daysAgo: number) =>
    (
      await database.pool.query<{ at: Date }>(
        `SELECT ((now() AT TIME ZONE $1)::date - $2::int)::timestamp AT TIME ZONE $1 AS at`,
        [zone, daysAgo],
      )
    ).rows[0].at;

  const rollup = async (patientId: string) =>
    (
      await database.pool.query<{ day: string }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM patient_reading_days WHERE patient_id = $1 ORDER BY day`,
        [patientId],
      )
    ).rows.map((row) => row.day);

  /** The count adherence made before the rollup: distinct local days straight from readings. */
  const daysFromReadings = async (patientId: string) =>
    Number(
      (
        await database.pool.query<{ days: string }>(
          `SELECT count(DISTINCT (r.measured_at AT TIME ZONE coalesce(p.time_zone, 'UTC'))::date) AS days
           FROM readings r JOIN patients p ON p.id = r.patient_id
           WHERE r.patient_id = $1 AND r.type = ANY($2::text[])
             AND r.measured_at >= (((now() AT TIME ZONE coalesce(p.time_zone, 'UTC'))::date - ($3::int - 1))::timestamp
                                   AT TIME ZONE coalesce(p.time_zone, 'UTC'))
             AND r.measured_at <= now()`,
          [patientId, VITAL_TYPES, ADHERENCE_WINDOW_DAYS],
        )
      ).rows[0].days,
    );

  const adherence = async (...patients: Array<{ id: string; timeZone: string | null }>) =>
    summary.adherence(
      principal,
      patients.map((patient) => patient.id),
    );

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      env: { MQTT_URL: 'mqtt://127.0.0.1:1' },
      imports: [IngestModule, VitalsModule],
    });
    ({ moduleRef, database } = integration);
    ingest = moduleRef.get(IngestService);
    summary = moduleRef.get(ReadingSummaryService);
    organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'coordinator');
    principal = { userId: user.id, organizationId: organization, role: 'coordinator' };
  });

  afterAll(async () => {
    await integration?.close();
  });

  it("counts readings either side of the patient's local midnight as two days, in one batch", async () => {
    const chicago = await patient('America/Chicago');
    const utc = await patient(null);
    // 23:30 and 00:30 in Chicago are one UTC day (05:30 and 06:30 UTC in November).
    const midnight = await localMidnight('America/Chicago', 2);
    const before = new Date(midnight.getTime() - 30 * MINUTE);
    const after = new Date(midnight.getTime() + 30 * MINUTE);
    const outcome = await ingest.storeBatch(
      [
        weight(chicago.device, 'c-1', before),
        weight(chicago.device, 'c-2', after),
        weight(utc.device, 'u-1', before),
        weight(utc.device, 'u-2', after),
      ],
      'ingest-test',
    );
    expect(outcome).toMatchObject({ storedReadings: 4 });

    expect(await rollup(chicago.id)).toHaveLength(2);
    expect(await rollup(utc.id)).toHaveLength(1);
    const days = await adherence(chicago, utc);
    expect(days.get(chicago.id)).toBe(2);
    expect(days.get(utc.id)).toBe(1);
    expect(days.get(chicago.id)).toBe(await daysFromReadings(chicago.id));
    expect(days.get(utc.id)).toBe(await daysFromReadings(utc.id));
  });

  it('counts a day once, whatever the readings, redeliveries and batches of that day', async () => {
    const paris = await patient('Europe/Paris');
    const noon = new Date((await localMidnight('Europe/Paris', 1)).getTime() + 12 * 60 * MINUTE);
    await ingest.storeBatch(
      [
        weight(paris.device, 'p-1', noon),
        weight(paris.device, 'p-1', noon),
        weight(paris.device, 'p-2', noon),
      ],
      'ingest-test',
    );
    const redelivered = await ingest.storeBatch(
      [
        weight(paris.device, 'p-1', noon),
        weight(paris.device, 'p-3', new Date(noon.getTime() + 60 * MINUTE)),
      ],
      'ingest-test',
    );
    expect(redelivered).toMatchObject({ storedReadings: 1, duplicateMessages: 1 });

    expect(await rollup(paris.id)).toHaveLength(1);
    expect((await adherence(paris)).get(paris.id)).toBe(1);
  });

  it('counts only the window: the day 30 days back is out, today is in; a patient without readings has 0', async () => {
    const tokyo = await patient('Asia/Tokyo');
    const idle = await patient('Asia/Tokyo');
    const today = await localMidnight('Asia/Tokyo', 0);
    await ingest.storeBatch(
      [
        weight(
          tokyo.device,
          't-old',
          new Date((await localMidnight('Asia/Tokyo', 30)).getTime() + 60 * MINUTE),
        ),
        weight(tokyo.device, 't-first', new Date((await localMidnight('Asia/Tokyo', 29)).getTime() + MINUTE)),
        weight(tokyo.device, 't-today', new Date(Math.min(Date.now() - MINUTE, today.getTime() + MINUTE))),
      ],
      'ingest-test',
    );
    expect(await rollup(tokyo.id)).toHaveLength(3);
    const days = await adherence(tokyo, idle);
    expect(days.get(tokyo.id)).toBe(await daysFromReadings(tokyo.id));
    expect(days.get(idle.id)).toBe(0);
  });

  it("recomputes a patient's days when its time zone changes, in the same statement's transaction", async () => {
    const moving = await patient('America/Chicago');
    const midnight = await localMidnight('America/Chicago', 3);
    await ingest.storeBatch(
      [
        weight(moving.device, 'z-1', new Date(midnight.getTime() - 30 * MINUTE)),
        weight(moving.device, 'z-2', new Date(midnight.getTime() + 30 * MINUTE)),
      ],
      'ingest-test',
    );
    expect((await adherence(moving)).get(moving.id)).toBe(2);

    await database.pool.query(`UPDATE patients SET time_zone = 'UTC' WHERE id = $1`, [moving.id]);
    expect(await rollup(moving.id)).toHaveLength(1);
    expect((await adherence({ id: moving.id, timeZone: 'UTC' })).get(moving.id)).toBe(1);
    expect(await daysFromReadings(moving.id)).toBe(1);

    // Another column's update leaves the rollup alone; the zone back restores both days.
    await database.pool.query(`UPDATE patients SET given_name = 'Moved' WHERE id = $1`, [moving.id]);
    expect(await rollup(moving.id)).toHaveLength(1);
    await database.pool.query(`UPDATE patients SET time_zone = 'America/Chicago' WHERE id = $1`, [moving.id]);
    expect((await adherence(moving)).get(moving.id)).toBe(2);
  });

  it('recomputes the days of a demo patient from before time zones when the demo gives it one', async () => {
    const demo = await patient(null, 'rollup-demo');
    const midnight = await localMidnight('America/New_York', 4);
    await ingest.storeBatch(
      [
        weight(demo.device, 'd-1', new Date(midnight.getTime() - 30 * MINUTE)),
        weight(demo.device, 'd-2', new Date(midnight.getTime() + 30 * MINUTE)),
      ],
      'ingest-test',
    );
    expect(await rollup(demo.id)).toHaveLength(1);

    const updated = await moduleRef.get(PatientService).ensureDemoPatient(principal, {
      demoKey: 'rollup-demo',
      givenName: 'Day',
      familyName: 'Rollup',
      birthDate: '1950-01-01',
      timeZone: 'America/New_York',
    });
    expect(updated.timeZone).toBe('America/New_York');
    expect(await rollup(demo.id)).toHaveLength(2);
    expect((await adherence(updated)).get(demo.id)).toBe(2);
  });
});
