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
import { organizationScope, type Principal } from '@homeward/access';
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
    const asOwner = await readings.listForPatient(organizationScope(otherOrganization), {
      patientId,
      limit: 10,
    });
    expect(asOwner).toHaveLength(1);
    const asOutsider = await readings.listForPatient(organizationScope(principal.organizationId), {
      patientId,
      limit: 10,
    });
    expect(asOutsider).toEqual([]);
  });

  it("finds each patient's newest reading of each type asked for, only within the organisation", async () => {
    const readings = moduleRef.get(ReadingRepository);
    const own = await createPatient(database.pool, principal.organizationId);
    const foreign = await createPatient(database.pool, otherOrganization);
    const store = (patientId: string, type: string, hoursAgo: number) =>
      database.pool.query(
        `INSERT INTO readings (measured_at, patient_id, device_id, message_id, type, loinc, value, unit,
                               source_value, source_unit, batch_id)
         VALUES (now() - make_interval(hours => $3), $1, $4, $5, $2, 'x', 80, 'kg', 80, 'kg', $4)`,
        [patientId, type, hoursAgo, randomUUID(), randomUUID()],
      );
    await store(own, 'body_weight', 50);
    await store(own, 'body_weight', 30);
    await store(own, 'heart_rate', 1);
    await store(foreign, 'body_weight', 2);

    const latest = await readings.latestMeasuredAt(organizationScope(principal.organizationId), [
      { patientId: own, type: 'body_weight' },
      { patientId: own, type: 'blood_glucose' },
      { patientId: foreign, type: 'body_weight' },
    ]);
    // The newest weight (30 h), nothing for a type never measured, nothing of another organisation.
    expect(latest).toEqual([{ patientId: own, type: 'body_weight', measuredAt: expect.any(Date) }]);
    const ageHours = (Date.now() - latest[0].measuredAt.getTime()) / 3600_000;
    expect(Math.round(ageHours)).toBe(30);
  });
});
