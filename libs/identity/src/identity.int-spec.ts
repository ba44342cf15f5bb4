import { JwtService } from '@nestjs/jwt';
import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
  type TestDatabase,
  type TestUser,
} from '@homeward/testing';
import { InvalidAuditActionError, AuditService, type AuditAction } from './audit/audit.service';
import { InvalidCredentialsError, SessionUserGoneError } from './auth/auth.errors';
import { AuthService } from './auth/auth.service';
import { AuthModule } from './identity.module';

const JWT_SECRET = 'identity-test-secret-0123456789abcdef';

/** Authentication against real PostgreSQL and real argon2id hashes (the cost production uses). */
describe('identity: sign-in, tokens and the audit trail', () => {
  let integration: IntegrationModule;
  let database: TestDatabase;
  let auth: AuthService;
  let audit: AuditService;
  let organizationId: string;
  let coordinator: TestUser;

  const auditRows = async (where: string, values: unknown[]) =>
    (
      await database.pool.query<{
        action: string;
        organization_id: string | null;
        actor_user_id: string | null;
        actor_role: string;
        patient_id: string | null;
        outcome: string;
        request_id: string | null;
      }>(`SELECT * FROM audit_events WHERE ${where} ORDER BY occurred_at, id`, values)
    ).rows;

  beforeAll(async () => {
    integration = await createIntegrationModule({ role: 'api', imports: [AuthModule], env: { JWT_SECRET } });
    database = integration.database;
    auth = integration.moduleRef.get(AuthService);
    audit = integration.moduleRef.get(AuditService);
    organizationId = await createOrganization(database.pool);
    coordinator = await createUser(database.pool, organizationId, 'coordinator');
  });

  afterAll(async () => {
    await integration?.close();
  });

  describe('sign-in', () => {
    it('signs in with the right password and the token names the user, organisation and role', async () => {
      const { accessToken, expiresIn, principal } = await auth.login(coordinator.email, coordinator.password);
      expect(principal).toEqual({ userId: coordinator.id, organizationId, role: 'coordinator' });
      expect(expiresIn).toBeGreaterThan(0);
      await expect(auth.verify(accessToken)).resolves.toEqual(principal);
      const session = await auth.verifySession(accessToken);
      expect(session?.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const { user, organization } = await auth.currentUser(principal);
      expect(user.email).toBe(coordinator.email);
      expect(organization.id).toBe(organizationId);
    });

    it('refuses a wrong password and an unknown email with the same error', async () => {
      await expect(auth.login(coordinator.email, `${coordinator.password}x`)).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
      await expect(auth.login(`nobody-${coordinator.email}`, coordinator.password)).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
    });

    it('refuses a disabled user, and their session no longer resolves to a user', async () => {
      const clinician = await createUser(database.pool, organizationId, 'clinician');
      const { principal } = await auth.login(clinician.email, clinician.password);
      await database.pool.query('UPDATE users SET disabled_at = now() WHERE id = $1', [clinician.id]);
      await expect(auth.login(clinician.email, clinician.password)).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
      await expect(auth.currentUser(principal)).rejects.toBeInstanceOf(SessionUserGoneError);
    });
  });

  describe('token verification', () => {
    it('refuses a token signed with another key, an expired one, one with another issuer and garbage', async () => {
      const claims = { sub: coordinator.id, org: organizationId, role: 'coordinator' };
      const other = new JwtService({ secret: 'another-secret-0123456789abcdef0123' });
      const own = new JwtService({ secret: JWT_SECRET });
      const nowSeconds = Math.floor(Date.now() / 1000);
      const tokens = [
        await other.signAsync(claims, { issuer: 'homeward', expiresIn: 60 }),
        await own.signAsync(
          { ...claims, exp: nowSeconds - 10, iat: nowSeconds - 70 },
          { issuer: 'homeward' },
        ),
        await own.signAsync(claims, { issuer: 'someone-else', expiresIn: 60 }),
        await own.signAsync(
          { org: organizationId, role: 'coordinator' },
          { issuer: 'homeward', expiresIn: 60 },
        ),
        'not-a-token',
      ];
      for (const token of tokens) await expect(auth.verify(token)).resolves.toBeUndefined();
    });

    it('refuses a token with alg none, whatever it claims', async () => {
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const nowSeconds = Math.floor(Date.now() / 1000);
      const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
        sub: coordinator.id,
        org: organizationId,
        role: 'admin',
        iss: 'homeward',
        iat: nowSeconds,
        exp: nowSeconds + 60,
      })}.`;
      await expect(auth.verify(unsigned)).resolves.toBeUndefined();
    });
  });

  describe('audit trail', () => {
    it('writes who did what to which patient, with the request id', async () => {
      const patientId = (
        await database.pool.query<{ id: string }>(
          `INSERT INTO patients (organization_id, given_name, family_name, birth_date)
           VALUES ($1, 'Ada', 'Audit', '1950-01-01') RETURNING id`,
          [organizationId],
        )
      ).rows[0].id;
      const requestId = `req-${Date.now()}`;
      await audit.record(
        { userId: coordinator.id, organizationId, role: 'coordinator', requestId },
        'patient.read',
        { resourceType: 'patient', resourceId: patientId, patientId },
      );
      await audit.record(
        { userId: coordinator.id, organizationId, role: 'coordinator', requestId },
        'patient.read',
        { resourceType: 'patient', resourceId: patientId, patientId, outcome: 'denied' },
      );
      expect(await auditRows('request_id = $1', [requestId])).toEqual([
        expect.objectContaining({
          action: 'patient.read',
          organization_id: organizationId,
          actor_user_id: coordinator.id,
          actor_role: 'coordinator',
          patient_id: patientId,
          outcome: 'allowed',
        }),
        expect.objectContaining({ action: 'patient.read', outcome: 'denied' }),
      ]);
    });

    it('writes what someone without an account did', async () => {
      const requestId = `req-anon-${Date.now()}`;
      await audit.recordUnauthenticated(
        { role: 'livekit', organizationId: null, requestId },
        'visit.webhook.rejected',
        {
          resourceType: 'visit',
          outcome: 'denied',
        },
      );
      expect(await auditRows('request_id = $1', [requestId])).toEqual([
        expect.objectContaining({
          actor_user_id: null,
          actor_role: 'livekit',
          organization_id: null,
          outcome: 'denied',
        }),
      ]);
    });

    it('refuses an action that is not domain.verb and writes nothing', async () => {
      const requestId = `req-bad-${Date.now()}`;
      for (const action of ['patient', 'Patient.Read', 'patient.read; DROP TABLE users', '.read'])
        await expect(
          audit.record(
            { userId: coordinator.id, organizationId, role: 'coordinator', requestId },
            action as AuditAction,
            { resourceType: 'patient' },
          ),
        ).rejects.toBeInstanceOf(InvalidAuditActionError);
      expect(await auditRows('request_id = $1', [requestId])).toEqual([]);
    });

    it('records a sign-in with the session it started', async () => {
      const clinician = await createUser(database.pool, organizationId, 'clinician');
      const { sessionId } = await auth.login(clinician.email, clinician.password);
      const signIns = await auditRows('actor_user_id = $1', [clinician.id]);
      expect(signIns).toEqual([
        expect.objectContaining({
          action: 'session.sign_in',
          organization_id: organizationId,
          outcome: 'allowed',
          resource_type: 'session',
          resource_id: sessionId,
        }),
      ]);
    });
  });
});
