import type { TestingModule } from '@nestjs/testing';
import { authenticator } from 'otplib';
import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
  type TestDatabase,
  type TestUser,
} from '@homeward/testing';
import { AuthService } from '../auth/auth.service';
import { AuthModule } from '../identity.module';
import type { Principal } from '../principal';
import { MfaService } from './mfa.service';

/** The code an authenticator app shows `offsetSteps` steps from now. */
const codeAt = (secret: string, offsetSteps = 0) =>
  authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret);

/** What a refused call answered: its status and error code. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code?: string }> {
  try {
    await call;
  } catch (error) {
    const http = error as { getStatus?: () => number; getResponse?: () => unknown };
    const body = http.getResponse?.() as { code?: string } | undefined;
    return { status: http.getStatus?.() ?? 500, code: body?.code };
  }
  throw new Error('expected a refusal');
}

describe('MfaService: TOTP second factor on PostgreSQL and Redis', () => {
  let integration: IntegrationModule;
  let moduleRef: TestingModule;
  let database: TestDatabase;
  let auth: AuthService;
  let mfa: MfaService;
  let organizationId: string;

  const principalOf = (user: TestUser): Principal => ({
    userId: user.id,
    organizationId: user.organizationId,
    role: user.role,
  });

  /**
   * A user with a confirmed authenticator. The confirmation used this step's code, so sign-ins
   * in the test use the next step's (accepted within the ±1 step window), as a person who waits
   * for the next code would.
   */
  async function enrolledUser(role: TestUser['role'] = 'coordinator', org = organizationId) {
    const user = await createUser(database.pool, org, role);
    const { secret } = await mfa.enroll(principalOf(user));
    const recoveryCodes = await mfa.confirm(principalOf(user), codeAt(secret));
    return { user, secret, recoveryCodes };
  }

  const auditActions = async (userId: string) =>
    (
      await database.pool.query<{ action: string }>(
        `SELECT action FROM audit_events WHERE resource_id = $1 ORDER BY id`,
        [userId],
      )
    ).rows.map((row) => row.action);

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [AuthModule],
      env: {
        JWT_SECRET: 'mfa-integration-secret-0123456789abcdef',
        MFA_SECRET_KEY: 'mfa-integration-encryption-key-0123456789',
        LOGIN_LOCKOUT_THRESHOLD: '4',
      },
    });
    ({ moduleRef, database } = integration);
    auth = moduleRef.get(AuthService);
    mfa = moduleRef.get(MfaService);
    organizationId = await createOrganization(database.pool);
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('keeps the secret sealed and pending until a code confirms it; sign-in asks nothing meanwhile', async () => {
    const user = await createUser(database.pool, organizationId, 'clinician');
    const { secret, otpauthUrl } = await mfa.enroll(principalOf(user));
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(otpauthUrl).toContain('issuer=Homeward');
    const { rows } = await database.pool.query<{ secret_ciphertext: string; confirmed_at: Date | null }>(
      `SELECT secret_ciphertext, confirmed_at FROM user_mfa WHERE user_id = $1`,
      [user.id],
    );
    expect(rows[0].secret_ciphertext).not.toContain(secret);
    expect(rows[0].confirmed_at).toBeNull();
    await expect(auth.login(user.email, user.password)).resolves.toBeDefined();

    expect(await refusal(mfa.confirm(principalOf(user), codeAt(secret, 3)))).toEqual({
      status: 400,
      code: 'invalid_mfa_code',
    });
    const codes = await mfa.confirm(principalOf(user), codeAt(secret));
    expect(codes).toHaveLength(10);
    const stored = await database.pool.query<{ hash: string }>(
      `SELECT encode(code_hash, 'escape') AS hash FROM mfa_recovery_codes WHERE user_id = $1`,
      [user.id],
    );
    expect(stored.rows).toHaveLength(10);
    for (const code of codes) expect(stored.rows.some((row) => row.hash.includes(code))).toBe(false);
    expect(await mfa.status(principalOf(user))).toEqual({
      enrolled: true,
      required: false,
      recoveryCodesLeft: 10,
    });
    expect(await refusal(mfa.enroll(principalOf(user)))).toEqual({
      status: 409,
      code: 'mfa_already_enrolled',
    });
    expect(await refusal(mfa.confirm(principalOf(user), codeAt(secret, 1)))).toEqual({
      status: 409,
      code: 'mfa_not_pending',
    });
    expect(await auditActions(user.id)).toEqual(['user.mfa.enroll', 'user.mfa.confirm']);
  });

  it('asks an enrolled user for the code, signs them in with it, and refuses the same code again', async () => {
    const { user, secret } = await enrolledUser();
    expect(await refusal(auth.login(user.email, user.password))).toEqual({
      status: 401,
      code: 'mfa_required',
    });
    const code = codeAt(secret, 1);
    const login = await auth.login(user.email, user.password, {}, code);
    expect(await auth.verifySession(login.accessToken)).toBeDefined();
    expect(await refusal(auth.login(user.email, user.password, {}, code))).toEqual({
      status: 401,
      code: 'invalid_credentials',
    });
    // The step confirmation used is spent too.
    expect(await refusal(auth.login(user.email, user.password, {}, codeAt(secret)))).toEqual({
      status: 401,
      code: 'invalid_credentials',
    });
  });

  it('counts wrong codes toward the account lock-out, as wrong passwords', async () => {
    const { user, secret } = await enrolledUser();
    const wrong = codeAt(secret, 1) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i += 1)
      expect(await refusal(auth.login(user.email, user.password, {}, wrong))).toEqual({
        status: 401,
        code: 'invalid_credentials',
      });
    expect(await refusal(auth.login(user.email, 'not-the-password', {}, wrong))).toMatchObject({
      status: 401,
    });
    expect(await refusal(auth.login(user.email, user.password, {}, codeAt(secret, 1)))).toEqual({
      status: 429,
      code: 'login_locked',
    });
    expect(await auditActions(user.id)).toContain('auth.login.locked');
  });

  it('signs in once with each recovery code', async () => {
    const { user, recoveryCodes } = await enrolledUser();
    const typed = recoveryCodes[3].toUpperCase().replace(/-/g, ' ');
    await expect(auth.login(user.email, user.password, {}, typed)).resolves.toBeDefined();
    expect(await refusal(auth.login(user.email, user.password, {}, recoveryCodes[3]))).toEqual({
      status: 401,
      code: 'invalid_credentials',
    });
    await expect(auth.login(user.email, user.password, {}, recoveryCodes[4])).resolves.toBeDefined();
    expect((await mfa.status(principalOf(user))).recoveryCodesLeft).toBe(8);
    expect(
      (await auditActions(user.id)).filter((action) => action === 'user.mfa.recovery_code.use'),
    ).toHaveLength(2);
  });

  it('an admin reset forgets the authenticator and ends the user’s sessions', async () => {
    const { user: admin } = await enrolledUser('admin');
    const { user, secret } = await enrolledUser();
    const login = await auth.login(user.email, user.password, {}, codeAt(secret, 1));
    await mfa.reset(principalOf(admin), user.id);
    expect(await auth.verifySession(login.accessToken)).toBeUndefined();
    expect(await mfa.status(principalOf(user))).toMatchObject({ enrolled: false, recoveryCodesLeft: 0 });
    await expect(auth.login(user.email, user.password)).resolves.toBeDefined();
    expect(await auditActions(user.id)).toContain('user.mfa.reset');
    // Another organisation's admin gets 404, as for a missing user.
    const outsider = await createUser(database.pool, await createOrganization(database.pool), 'admin');
    expect(await refusal(mfa.reset(principalOf(outsider), admin.id))).toMatchObject({ status: 404 });
  });

  it('when the organisation requires it, a correct password earns only an enrollment token', async () => {
    const org = await createOrganization(database.pool, 'Strict Clinic');
    const newcomer = await createUser(database.pool, org, 'clinician');
    const newcomerLogin = await auth.login(newcomer.email, newcomer.password);
    const { user: admin } = await enrolledUser('admin', org);
    const unenrolledAdmin = await createUser(database.pool, org, 'admin');
    expect(await refusal(mfa.setRequirement(principalOf(unenrolledAdmin), true))).toEqual({
      status: 409,
      code: 'mfa_not_enrolled',
    });
    expect((await mfa.setRequirement(principalOf(admin), true)).mfaRequired).toBe(true);
    expect(await auth.verifySession(newcomerLogin.accessToken)).toBeUndefined();

    let token = '';
    try {
      await auth.login(newcomer.email, newcomer.password);
    } catch (error) {
      const body = (error as { getResponse: () => { code: string; enrollmentToken: string } }).getResponse();
      expect(body.code).toBe('mfa_enrollment_required');
      token = body.enrollmentToken;
    }
    expect(token).not.toBe('');
    // The enrollment token is no access token, and a wrong password earns none.
    expect(await auth.verifySession(token)).toBeUndefined();
    expect(await refusal(auth.login(newcomer.email, 'wrong-password'))).toEqual({
      status: 401,
      code: 'invalid_credentials',
    });
    const principal = await mfa.verifyEnrollmentToken(token);
    expect(principal).toMatchObject({ userId: newcomer.id, organizationId: org });
    const { secret } = await mfa.enroll(principal!);
    await mfa.confirm(principal!, codeAt(secret));
    await expect(auth.login(newcomer.email, newcomer.password, {}, codeAt(secret, 1))).resolves.toBeDefined();
    expect(await mfa.verifyEnrollmentToken(newcomerLogin.accessToken)).toBeUndefined();
    expect(await auditActions(org)).toEqual(['organization.update']);
    expect(await auditActions(newcomer.id)).toEqual(
      expect.arrayContaining(['user.mfa.enrollment_token.issue', 'user.mfa.enroll', 'user.mfa.confirm']),
    );
  });
});
