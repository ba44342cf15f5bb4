import { authenticator } from 'otplib';
import { ApiClient, TestStack, createOrganization, createUser, type TestUser } from '@homeward/testing';

/** The code an authenticator app shows `offsetSteps` 30-second steps from now. */
const codeAt = (secret: string, offsetSteps = 0) =>
  authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret);

interface LoginAnswer {
  status: number;
  body: { code?: string; accessToken?: string; enrollmentToken?: string; [key: string]: unknown };
  retryAfter: string | null;
}

/**
 * TOTP second factor through the built api process: enrolment and confirmation, sign-in asking
 * for the code, replay and lock-out, recovery codes, an organisation requiring it (enrolment by
 * an enrollment token good for nothing else) and an admin's reset after a lost phone.
 */
describe('MFA (TOTP) through the real API', () => {
  let stack: TestStack;

  async function login(user: TestUser, code?: string): Promise<LoginAnswer> {
    const response = await fetch(`${stack.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password, ...(code ? { code } : {}) }),
    });
    return {
      status: response.status,
      body: (await response.json()) as LoginAnswer['body'],
      retryAfter: response.headers.get('retry-after'),
    };
  }

  /** Enrols and confirms through the API with `client`; answers the secret and recovery codes. */
  async function enrol(client: ApiClient): Promise<{ secret: string; recoveryCodes: string[] }> {
    const enrolled = await client.request<{ secret: string; otpauthUrl: string }>(
      'POST',
      '/api/auth/mfa/enroll',
    );
    expect(enrolled.status).toBe(200);
    const confirmed = await client.request<{ recoveryCodes: string[] }>('POST', '/api/auth/mfa/confirm', {
      code: codeAt(enrolled.body.secret),
    });
    expect(confirmed.status).toBe(200);
    return { secret: enrolled.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
  }

  const auditCount = async (action: string, resourceId: string) =>
    (
      await stack.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND resource_id = $2`,
        [action, resourceId],
      )
    ).rows[0].n;

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api'],
      env: { LOGIN_RATE_LIMIT: '1000', LOGIN_LOCKOUT_THRESHOLD: '4' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('a user enrols, then signs in with the code; a replayed code and wrong ones are refused', async () => {
    const organizationId = await createOrganization(stack.database.pool, 'Personal MFA Clinic');
    const user = await createUser(stack.database.pool, organizationId, 'clinician');
    const client = await new ApiClient(stack.apiUrl).login(user.email, user.password);

    const enrolled = await client.request<{ secret: string; otpauthUrl: string }>(
      'POST',
      '/api/auth/mfa/enroll',
    );
    expect(enrolled.status).toBe(200);
    const url = new URL(enrolled.body.otpauthUrl);
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/Homeward:${user.email}`);
    expect(url.searchParams.get('secret')).toBe(enrolled.body.secret);
    const secret = enrolled.body.secret;
    // Pending: sign-in does not ask yet.
    expect((await login(user)).status).toBe(200);
    const wrongConfirm = await client.request<{ code: string }>('POST', '/api/auth/mfa/confirm', {
      code: codeAt(secret, 5),
    });
    expect([wrongConfirm.status, wrongConfirm.body.code]).toEqual([400, 'invalid_mfa_code']);
    const confirmed = await client.request<{ recoveryCodes: string[] }>('POST', '/api/auth/mfa/confirm', {
      code: codeAt(secret),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect((await client.request('GET', '/api/auth/mfa')).body).toEqual({
      enrolled: true,
      required: false,
      recoveryCodesLeft: 10,
    });

    const asked = await login(user);
    expect(asked.status).toBe(401);
    expect(asked.body.code).toBe('mfa_required');
    expect(Object.keys(asked.body).sort()).toEqual(['code', 'error', 'message', 'requestId', 'statusCode']);

    // The confirmation spent this step's code: the next one signs in, once.
    const next = codeAt(secret, 1);
    const signedIn = await login(user, next);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.accessToken).toEqual(expect.any(String));
    const replayed = await login(user, next);
    expect([replayed.status, replayed.body.code]).toEqual([401, 'invalid_credentials']);

    // A recovery code works once.
    const [recovery] = confirmed.body.recoveryCodes;
    expect((await login(user, recovery)).status).toBe(200);
    expect((await login(user, recovery)).body.code).toBe('invalid_credentials');
    expect(await auditCount('user.mfa.recovery_code.use', user.id)).toBe(1);
    expect(await auditCount('user.mfa.enroll', user.id)).toBe(1);
    expect(await auditCount('user.mfa.confirm', user.id)).toBe(1);
  });

  it('counts wrong codes toward the account lock-out, and answers them as wrong passwords', async () => {
    const organizationId = await createOrganization(stack.database.pool, 'Lockout Clinic');
    const user = await createUser(stack.database.pool, organizationId, 'coordinator');
    const { secret } = await enrol(await new ApiClient(stack.apiUrl).login(user.email, user.password));
    const right = codeAt(secret, 1);
    const wrong = right === '000000' ? '111111' : '000000';
    const wrongPassword = await login({ ...user, password: 'not-the-password' }, right);
    const answers = [await login(user, wrong), await login(user, wrong), await login(user, wrong)];
    for (const answer of [wrongPassword, ...answers])
      expect({ status: answer.status, code: answer.body.code, message: answer.body.message }).toEqual({
        status: 401,
        code: 'invalid_credentials',
        message: wrongPassword.body.message,
      });
    const locked = await login(user, right);
    expect([locked.status, locked.body.code]).toEqual([429, 'login_locked']);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
  });

  it('an organisation that requires MFA lets a new user only enrol; an admin reset sends them back there', async () => {
    const pool = stack.database.pool;
    const organizationId = await createOrganization(pool, 'Strict Clinic');
    const admin = await createUser(pool, organizationId, 'admin');
    const coordinator = await createUser(pool, organizationId, 'coordinator');
    const adminClient = await new ApiClient(stack.apiUrl).login(admin.email, admin.password);
    const coordinatorBefore = await new ApiClient(stack.apiUrl).login(
      coordinator.email,
      coordinator.password,
    );

    const tooSoon = await adminClient.request<{ code: string }>('PATCH', '/api/admin/organization', {
      mfaRequired: true,
    });
    expect([tooSoon.status, tooSoon.body.code]).toEqual([409, 'mfa_not_enrolled']);
    const forbidden = await coordinatorBefore.request<{ code: string }>('PATCH', '/api/admin/organization', {
      mfaRequired: true,
    });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'role_not_allowed']);
    await enrol(adminClient);
    const required = await adminClient.request('PATCH', '/api/admin/organization', { mfaRequired: true });
    expect(required.status).toBe(200);
    expect(required.body).toMatchObject({ id: organizationId, mfaRequired: true });
    expect(await auditCount('organization.update', organizationId)).toBe(1);
    // Signed in without a second factor: signed out.
    expect((await coordinatorBefore.request('GET', '/api/auth/me')).status).toBe(401);

    const refused = await login(coordinator);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('mfa_enrollment_required');
    const enrolling = new ApiClient(stack.apiUrl, refused.body.enrollmentToken);
    // The enrollment token opens the enrolment routes and nothing else.
    for (const [method, path] of [
      ['GET', '/api/auth/me'],
      ['GET', '/api/patients'],
      ['GET', '/api/auth/mfa'],
      ['POST', '/api/auth/logout'],
    ])
      expect(`${method} ${path} ${(await enrolling.request(method, path)).status}`).toBe(
        `${method} ${path} 401`,
      );
    const refresh = await enrolling.request('POST', '/api/auth/refresh', {
      refreshToken: refused.body.enrollmentToken,
    });
    // Not a refresh token (too long even to be looked up).
    expect(refresh.status).toBe(400);
    const { secret } = await enrol(enrolling);
    const signedIn = await login(coordinator, codeAt(secret, 1));
    expect(signedIn.status).toBe(200);

    // Lost phone: an admin resets it; the coordinator's sessions end and enrolment starts again.
    const coordinatorClient = new ApiClient(stack.apiUrl, signedIn.body.accessToken);
    const notAdmin = await coordinatorClient.request('POST', `/api/users/${admin.id}/mfa/reset`);
    expect(notAdmin.status).toBe(403);
    const reset = await adminClient.request('POST', `/api/users/${coordinator.id}/mfa/reset`);
    expect(reset.status).toBe(204);
    expect((await coordinatorClient.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await login(coordinator, codeAt(secret, 1))).body.code).toBe('mfa_enrollment_required');
    expect(await auditCount('user.mfa.reset', coordinator.id)).toBe(1);

    const relaxed = await adminClient.request('PATCH', '/api/admin/organization', { mfaRequired: false });
    expect(relaxed.body).toMatchObject({ mfaRequired: false });
    expect((await login(coordinator)).status).toBe(200);
  });
});
