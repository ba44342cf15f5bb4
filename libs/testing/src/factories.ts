import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import argon2 from 'argon2';
import { hashPassword } from '@homeward/identity';
import { VITALS, type UserRole, type VitalType } from '@homeward/contracts';

export interface TestUser {
  id: string;
  organizationId: string;
  email: string;
  password: string;
  role: UserRole;
}

const CHEAP_ARGON2 = { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

export async function createOrganization(pool: Pool, name = 'Test Org'): Promise<string> {
  const slug = `org-${randomBytes(5).toString('hex')}`;
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO organizations (slug, name) VALUES ($1, $2) RETURNING id',
    [slug, name],
  );
  return rows[0].id;
}

/**
 * Which care team a fixture joins: the organisation's default team (created on first use) when
 * left out, a team of that name, or none with `false` (an admin sees an unassigned patient; a
 * coordinator or clinician in no team sees no patient).
 */
export type CareTeamChoice = boolean | string | undefined;

/** The name of the team staff and patients made by these factories join unless told otherwise. */
export const DEFAULT_CARE_TEAM = 'Default team';

/** The id of the organisation's care team named `name`, created when missing. */
export async function careTeamId(
  pool: Pool,
  organizationId: string,
  name = DEFAULT_CARE_TEAM,
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO care_teams AS t (organization_id, name) VALUES ($1, $2)
     ON CONFLICT (organization_id, lower(name)) DO UPDATE SET name = t.name RETURNING id`,
    [organizationId, name],
  );
  return rows[0].id;
}

async function chosenTeam(
  pool: Pool,
  organizationId: string,
  choice: CareTeamChoice,
): Promise<string | null> {
  if (choice === false) return null;
  return careTeamId(pool, organizationId, typeof choice === 'string' ? choice : DEFAULT_CARE_TEAM);
}

/** Makes the users members of the care team `careTeam` names (the default team unless told). */
export async function addToCareTeam(
  pool: Pool,
  organizationId: string,
  userIds: readonly string[],
  careTeam: CareTeamChoice = true,
): Promise<void> {
  const team = await chosenTeam(pool, organizationId, careTeam);
  if (!team) return;
  await pool.query(
    `INSERT INTO care_team_members (care_team_id, user_id, organization_id)
     SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
    [team, userIds, organizationId],
  );
}

/** Puts the patient in the care team `careTeam` names (the default team unless told). */
export async function assignToCareTeam(
  pool: Pool,
  organizationId: string,
  patientId: string,
  careTeam: CareTeamChoice = true,
): Promise<void> {
  const team = await chosenTeam(pool, organizationId, careTeam);
  if (!team) return;
  await pool.query(
    `INSERT INTO care_team_patients (care_team_id, patient_id, organization_id) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [team, patientId, organizationId],
  );
}

/** A new care team named `name` of the organisation, with `userIds` as members and holding `patientIds`. */
export async function createCareTeam(
  pool: Pool,
  organizationId: string,
  team: { name: string; userIds?: readonly string[]; patientIds?: readonly string[] },
): Promise<string> {
  await addToCareTeam(pool, organizationId, team.userIds ?? [], team.name);
  for (const patientId of team.patientIds ?? [])
    await assignToCareTeam(pool, organizationId, patientId, team.name);
  return careTeamId(pool, organizationId, team.name);
}

/**
 * A user who can sign in. A coordinator or clinician joins the organisation's default care team
 * (so sees the patients `createPatient` makes) unless `careTeam` says otherwise; admins join none.
 */
export async function createUser(
  pool: Pool,
  organizationId: string,
  role: UserRole,
  options: { careTeam?: CareTeamChoice } = {},
): Promise<TestUser> {
  const email = `${role}-${randomBytes(5).toString('hex')}@test.homeward.test`;
  const password = randomBytes(12).toString('base64url');
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (organization_id, email, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [organizationId, email, `Test ${role}`, role, await hashPassword(password)],
  );
  if (role !== 'admin') await addToCareTeam(pool, organizationId, [rows[0].id], options.careTeam);
  return { id: rows[0].id, organizationId, email, password, role };
}

/**
 * `count` users of one role sharing one password. The hash is argon2id at its lowest cost: login
 * verifies a hash by the parameters it carries, so hundreds of these sign in through the real
 * API in about a second, where hashPassword's cost takes a quarter of a second of CPU per login.
 */
export async function createUsers(
  pool: Pool,
  organizationId: string,
  role: UserRole,
  count: number,
  options: { careTeam?: CareTeamChoice } = {},
): Promise<TestUser[]> {
  const tag = randomBytes(5).toString('hex');
  const password = randomBytes(12).toString('base64url');
  const { rows } = await pool.query<{ id: string; email: string }>(
    `INSERT INTO users (organization_id, email, display_name, role, password_hash)
     SELECT $1, $2 || '-' || g || '-' || $3 || '@test.homeward.test', 'Test ' || $2 || ' ' || g, $2, $4
     FROM generate_series(1, $5::int) g ORDER BY g RETURNING id, email`,
    [organizationId, role, tag, await argon2.hash(password, CHEAP_ARGON2), count],
  );
  if (role !== 'admin')
    await addToCareTeam(
      pool,
      organizationId,
      rows.map((row) => row.id),
      options.careTeam,
    );
  return rows.map(({ id, email }) => ({ id, organizationId, email, password, role }));
}

/**
 * A patient row with active `rpm_monitoring` and `video_visits` consent (as a registered
 * patient who agreed to both); `consent: false` for a patient without any. It joins the
 * organisation's default care team unless `careTeam` says otherwise (`false`: unassigned).
 */
export async function createPatient(
  pool: Pool,
  organizationId: string,
  options: { consent?: boolean; careTeam?: CareTeamChoice } = {},
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO patients (organization_id, given_name, family_name, birth_date)
     VALUES ($1, 'Test', $2, '1950-01-01') RETURNING id`,
    [organizationId, `Patient-${randomBytes(3).toString('hex')}`],
  );
  await assignToCareTeam(pool, organizationId, rows[0].id, options.careTeam);
  if (options.consent ?? true) await recordConsent(pool, rows[0].id);
  return rows[0].id;
}

/** Active consents of the patient, recorded as given verbally now, by nobody in particular. */
export async function recordConsent(
  pool: Pool,
  patientId: string,
  scopes: readonly string[] = ['rpm_monitoring', 'video_visits'],
): Promise<void> {
  await pool.query(
    `INSERT INTO patient_consents (organization_id, patient_id, scope, method, given_at)
     SELECT p.organization_id, p.id, s.scope, 'verbal', now() FROM patients p, unnest($2::text[]) AS s (scope)
     WHERE p.id = $1`,
    [patientId, scopes],
  );
}

/** A video visit row, for code below telehealth that refers to visits (the care-time ledger). */
export async function createVisit(
  pool: Pool,
  organizationId: string,
  patientId: string,
  createdBy: string,
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO visits (organization_id, patient_id, created_by, room_name, status)
     VALUES ($1, $2, $3, $4, 'completed') RETURNING id`,
    [organizationId, patientId, createdBy, `v_${randomBytes(16).toString('hex')}`],
  );
  return rows[0].id;
}

/** A registered device row (its secret is irrelevant to code that never authenticates it). */
export async function createDevice(pool: Pool, organizationId: string, patientId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO devices (organization_id, patient_id, kind, secret_hash) VALUES ($1, $2, 'bp_cuff', $3) RETURNING id`,
    [organizationId, patientId, randomBytes(32)],
  );
  return rows[0].id;
}

/** One measurement of a stored batch: the catalogue's LOINC code and unit unless stated. */
export interface StoredReading {
  type: VitalType;
  value: number;
  measuredAt: Date;
  unit?: string;
  /** Readings of one message share it; a fresh one per batch by default. */
  messageId?: string;
}

/**
 * A batch as ingest leaves it (the batch row and its readings, not yet evaluated), for
 * integration tests that evaluate batches without the ingest process. Returns the batch id.
 */
export async function storeReadingBatch(
  pool: Pool,
  who: { patient: string; device: string },
  readings: readonly StoredReading[],
): Promise<string> {
  const batchId = randomUUID();
  const messageId = `m-${batchId}`;
  await pool.query(
    `INSERT INTO ingest_batches (id, ingest_client_id, correlation_id, stored_count, rejected_count)
     VALUES ($1::uuid, 'test', $1::text, $2, 0)`,
    [batchId, readings.length],
  );
  for (const reading of readings) {
    const unit = reading.unit ?? VITALS[reading.type].unit;
    await pool.query(
      `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                             source_value, source_unit, batch_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9)`,
      [
        reading.measuredAt,
        who.patient,
        who.device,
        reading.messageId ?? messageId,
        reading.type,
        VITALS[reading.type].loinc,
        reading.value,
        unit,
        batchId,
      ],
    );
  }
  await refreshReadingDays(pool, [who.patient]);
  return batchId;
}

/**
 * Brings patient_reading_days (adherence's day rollup) up to date with readings written without
 * ingest: by fixtures and seeds that insert or COPY readings directly. Only the patients among
 * `patientIds` when given. Adds days, never removes them; a time-zone change recomputes its own.
 */
export async function refreshReadingDays(pool: Pool, patientIds?: readonly string[]): Promise<void> {
  await pool.query(
    `INSERT INTO patient_reading_days (patient_id, day)
     SELECT DISTINCT r.patient_id, (r.measured_at AT TIME ZONE coalesce(p.time_zone, 'UTC'))::date
     FROM readings r JOIN patients p ON p.id = r.patient_id
     WHERE $1::uuid[] IS NULL OR r.patient_id = ANY($1::uuid[])
     ON CONFLICT DO NOTHING`,
    [patientIds ?? null],
  );
}

/** Systolic and diastolic of one blood-pressure measurement. */
export function bloodPressure(systolic: number, diastolic: number, measuredAt = new Date()): StoredReading[] {
  return [
    { type: 'blood_pressure_systolic', value: systolic, measuredAt },
    { type: 'blood_pressure_diastolic', value: diastolic, measuredAt },
  ];
}

/** An alert's history as stored, oldest first. */
export async function alertHistory(
  pool: Pool,
  alertId: string,
): Promise<Array<{ action: string; from_status: string; to_status: string; detail: unknown }>> {
  const { rows } = await pool.query<{
    action: string;
    from_status: string;
    to_status: string;
    detail: unknown;
  }>('SELECT action, from_status, to_status, detail FROM alert_events WHERE alert_id = $1 ORDER BY id', [
    alertId,
  ]);
  return rows;
}

/** The commands written for a device, oldest first. */
export async function deviceCommands(
  pool: Pool,
  deviceId: string,
): Promise<Array<{ alert_id: string; command: string; payload: Record<string, unknown> }>> {
  const { rows } = await pool.query<{ alert_id: string; command: string; payload: Record<string, unknown> }>(
    'SELECT alert_id, command, payload FROM device_commands WHERE device_id = $1 ORDER BY created_at',
    [deviceId],
  );
  return rows;
}
