import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import {
  createIntegrationModule,
  createOrganization,
  createPatient,
  createUser,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import type { Principal } from '@homeward/identity';
import { VitalsModule } from '../monitoring.module';
import { ReadingRepository } from './reading.repository';

describe('ReadingRepository: the scope is part of the query', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let principal: Principal;
  let otherOrganization: string;
  let integration: IntegrationModule;

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [VitalsModule],
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

  it('returns no readings of a patient outside the organisation asked for', async () => {
    const readings = moduleRef.get(ReadingRepository);
    const patientId = await createPatient(database.pool, otherOrganization);
    await database.pool.query(
      `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                             source_value, source_unit, batch_id)
       VALUES (now() - interval '1 hour', $1, $2, 'm-1', 'heart_rate', '8867-4', 70, '/min', 70, '/min', $3)`,
      [patientId, randomUUID(), randomUUID()],
    );
    const asOwner = await readings.listForPatient(
      { organizationId: otherOrganization },
      { patientId, limit: 10 },
    );
    expect(asOwner).toHaveLength(1);
    const asOutsider = await readings.listForPatient(
      { organizationId: principal.organizationId },
      { patientId, limit: 10 },
    );
    expect(asOutsider).toEqual([]);
  });
});
