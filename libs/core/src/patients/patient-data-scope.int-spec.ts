import { randomBytes, randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { ReadingRepository } from '@homeward/db';
import {
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import { AccessModule } from '../access.module';
import type { Principal } from '../principal';
import { PatientService } from './patient.service';

describe('patient data: audited with the change, scoped by organisation in the query', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let principal: Principal;
  let otherOrganization: string;
  let integration: IntegrationModule;

  const count = async (sql: string) =>
    Number((await database.pool.query<{ count: string }>(sql)).rows[0].count);

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      env: { JWT_SECRET: randomBytes(32).toString('hex') },
      imports: [AccessModule],
    });
    ({ moduleRef, database } = integration);
    const organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'coordinator');
    principal = { userId: user.id, organizationId: organization, role: 'coordinator' };
    otherOrganization = await createOrganization(database.pool);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('creates no patient when its audit row cannot be written', async () => {
    const patients = moduleRef.get(PatientService);
    await database.pool.query(
      "ALTER TABLE audit_events ADD CONSTRAINT test_no_create CHECK (action <> 'patient.create')",
    );
    try {
      const before = await count('SELECT count(*) FROM patients');
      await expect(
        patients.create(principal, { givenName: 'Ada', familyName: 'Unaudited', birthDate: '1950-01-01' }),
      ).rejects.toThrow(/test_no_create/);
      expect(await count('SELECT count(*) FROM patients')).toBe(before);
    } finally {
      await database.pool.query('ALTER TABLE audit_events DROP CONSTRAINT test_no_create');
    }
    const created = await patients.create(principal, {
      givenName: 'Ada',
      familyName: 'Audited',
      birthDate: '1950-01-01',
    });
    expect(
      await count(
        `SELECT count(*) FROM audit_events WHERE action = 'patient.create' AND patient_id = '${created.id}'`,
      ),
    ).toBe(1);
  });

  it('returns no readings of a patient outside the organisation asked for', async () => {
    const readings = moduleRef.get(ReadingRepository);
    const patientId = await createPatient(database.pool, otherOrganization);
    await database.pool.query(
      `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                             source_value, source_unit, batch_id)
       VALUES (now() - interval '1 hour', $1, $2, 'm-1', 'heart_rate', '8867-4', 70, '/min', 70, '/min', $3)`,
      [patientId, randomUUID(), randomUUID()],
    );
    const asOwner = await readings.listForPatient({
      organizationId: otherOrganization,
      patientId,
      limit: 10,
    });
    expect(asOwner).toHaveLength(1);
    const asOutsider = await readings.listForPatient({
      organizationId: principal.organizationId,
      patientId,
      limit: 10,
    });
    expect(asOutsider).toEqual([]);
  });
});
