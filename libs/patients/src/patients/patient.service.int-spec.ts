import type { TestingModule } from '@nestjs/testing';
import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
  type TestDatabase,
} from '@homeward/testing';
import type { Principal } from '@homeward/access';
import { PatientsModule } from '../patients.module';
import { PatientService } from './patient.service';

describe('PatientService: a patient and its audit row commit together', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let principal: Principal;
  let integration: IntegrationModule;

  const count = async (sql: string) =>
    Number((await database.pool.query<{ count: string }>(sql)).rows[0].count);

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'worker',
      imports: [PatientsModule],
    });
    ({ moduleRef, database } = integration);
    const organization = await createOrganization(database.pool);
    const user = await createUser(database.pool, organization, 'coordinator');
    principal = { userId: user.id, organizationId: organization, role: 'coordinator' };
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

  it('stores an IANA time zone, and refuses one PostgreSQL does not know even past the DTO', async () => {
    const patients = moduleRef.get(PatientService);
    const chicago = await patients.create(principal, {
      givenName: 'Carl',
      familyName: 'Zoned',
      birthDate: '1950-01-01',
      timeZone: 'America/Chicago',
    });
    expect(chicago.timeZone).toBe('America/Chicago');
    const before = await count('SELECT count(*) FROM patients');
    // The database answers too (SQLSTATE 22023, a 400 through the error filter): the worklist's
    // adherence query converts with it and must never meet a zone it cannot read.
    await expect(
      patients.create(principal, {
        givenName: 'Bad',
        familyName: 'Zone',
        birthDate: '1950-01-01',
        timeZone: 'Mars/Olympus_Mons',
      }),
    ).rejects.toMatchObject({ code: '22023' });
    expect(await count('SELECT count(*) FROM patients')).toBe(before);
  });

  it("lists ids by name, one audit row, and reads a page of them in its order, never another organisation's", async () => {
    const patients = moduleRef.get(PatientService);
    const make = (familyName: string, who: Principal = principal) =>
      patients.create(who, { givenName: 'Paged', familyName, birthDate: '1950-01-01' });
    const [zed, abel, mona] = [await make('Zed-page'), await make('Abel-page'), await make('Mona-page')];
    const other = await createOrganization(database.pool);
    const stranger = await createUser(database.pool, other, 'coordinator');
    const foreign = await make('Foreign-page', {
      userId: stranger.id,
      organizationId: other,
      role: 'coordinator',
    });

    const listsBefore = await count(`SELECT count(*) FROM audit_events WHERE action = 'patient.list'`);
    expect(await patients.searchIds(principal, '-page')).toEqual([abel.id, mona.id, zed.id]);
    expect(await count(`SELECT count(*) FROM audit_events WHERE action = 'patient.list'`)).toBe(
      listsBefore + 1,
    );

    const page = await patients.listedPage(principal, [zed.id, foreign.id, abel.id]);
    expect(page.map((patient) => [patient.id, patient.familyName])).toEqual([
      [zed.id, 'Zed-page'],
      [abel.id, 'Abel-page'],
    ]);
    expect(await patients.listedPage(principal, [])).toEqual([]);
  });
});
