import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { hashPassword } from '@homeward/identity';
import type { UserRole } from '@homeward/contracts';

export interface TestUser {
  id: string;
  organizationId: string;
  email: string;
  password: string;
  role: UserRole;
}

export async function createOrganization(pool: Pool, name = 'Test Org'): Promise<string> {
  const slug = `org-${randomBytes(5).toString('hex')}`;
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO organizations (slug, name) VALUES ($1, $2) RETURNING id',
    [slug, name],
  );
  return rows[0].id;
}

export async function createUser(pool: Pool, organizationId: string, role: UserRole): Promise<TestUser> {
  const email = `${role}-${randomBytes(5).toString('hex')}@test.homeward.test`;
  const password = randomBytes(12).toString('base64url');
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (organization_id, email, display_name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [organizationId, email, `Test ${role}`, role, await hashPassword(password)],
  );
  return { id: rows[0].id, organizationId, email, password, role };
}

export async function createPatient(pool: Pool, organizationId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO patients (organization_id, given_name, family_name, birth_date)
     VALUES ($1, 'Test', $2, '1950-01-01') RETURNING id`,
    [organizationId, `Patient-${randomBytes(3).toString('hex')}`],
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
