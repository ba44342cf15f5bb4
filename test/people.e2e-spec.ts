import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { io } from 'socket.io-client';
import { ApiClient, TestStack } from '@homeward/testing';

const run = promisify(execFile);
const PASSWORD = 'a long quiet river at dawn';

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('people: the admin command, user management and invitations over the built API', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let adminId: string;

  /** `npm run admin -- …` as an operator runs it, against the stack's database and Redis. */
  async function adminCommand(...args: string[]): Promise<CommandResult> {
    try {
      const { stdout, stderr } = await run('node', ['dist/scripts/admin.js', ...args], {
        env: { ...process.env, ...stack.env(), NODE_ENV: 'production' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  const codeOf = (url: string): string => new URL(url).searchParams.get('code')!;
  const anonymous = () => new ApiClient(stack.apiUrl);
  const accept = (code: string, password = PASSWORD) =>
    anonymous().request<{ email?: string; code?: string }>('POST', '/api/auth/invitations/accept', {
      code,
      password,
    });

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api'], env: { LOGIN_RATE_LIMIT: '1000' } });
  });

  afterAll(() => stack?.stop());

  it('creates the first organisation and its admin with the admin command, who then signs in', async () => {
    expect((await adminCommand()).code).toBe(2);
    const missing = await adminCommand('create-organization', '--name', 'Riverside Clinic');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('missing --admin-email');

    const created = await adminCommand(
      'create-organization',
      '--name',
      'Riverside Clinic',
      '--admin-email',
      'head@riverside.example',
      '--admin-name',
      'Head Admin',
    );
    expect(created.code).toBe(0);
    const url = /^(http\S+\/invitations\/accept\?code=\S+)$/m.exec(created.stdout)?.[1];
    expect(url).toBeDefined();
    expect(url!.startsWith(`${stack.apiUrl}/invitations/accept?code=`)).toBe(true);

    const taken = await adminCommand(
      'create-organization',
      '--name',
      'Another Clinic',
      '--admin-email',
      'HEAD@riverside.example',
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('A user with this email already exists');

    expect((await accept(codeOf(url!))).status).toBe(200);
    admin = await anonymous().login('head@riverside.example', PASSWORD);
    const me = await admin.request<{ id: string; role: string }>('GET', '/api/auth/me');
    expect(me.body.role).toBe('admin');
    adminId = me.body.id;
  });

  it('invites a colleague, who accepts once under the password rules and signs in', async () => {
    const invited = await admin.request<{ id: string; invitation: { url: string; expiresAt: string } }>(
      'POST',
      '/api/users',
      { email: 'nurse@riverside.example', name: 'Nora Nurse', role: 'coordinator' },
    );
    expect(invited.status).toBe(201);
    const code = codeOf(invited.body.invitation.url);
    const weak = await accept(code, 'password1234');
    expect(weak).toMatchObject({ status: 400, body: { code: 'weak_password' } });
    expect((await accept(code)).status).toBe(200);
    expect(await accept(code)).toMatchObject({ status: 410, body: { code: 'invitation_used' } });
    expect(await accept('not-a-real-code')).toMatchObject({
      status: 404,
      body: { code: 'invitation_not_found' },
    });
    await anonymous().login('nurse@riverside.example', PASSWORD);
    // Outside development the link (which sets a password) never reaches the logs.
    expect(stack.app('api').log).toContain('Invitation issued');
    expect(stack.app('api').log).not.toContain(code);

    const list = await admin.request<{ items: Array<{ email: string; status: string }>; total: number }>(
      'GET',
      '/api/users?limit=10',
    );
    expect(list.body.items.map((user) => [user.email, user.status])).toEqual(
      expect.arrayContaining([
        ['head@riverside.example', 'active'],
        ['nurse@riverside.example', 'active'],
      ]),
    );
    expect(
      (
        await admin.request('POST', '/api/users', {
          email: 'NURSE@riverside.example',
          name: 'X',
          role: 'admin',
        })
      ).body,
    ).toMatchObject({
      code: 'email_taken',
    });
  });

  it('takes organisation and role from the server only: unknown fields answer 400, prototype keys are dropped, nothing changes', async () => {
    const invited = await admin.request<{ id: string }>('POST', '/api/users', {
      email: 'clerk@riverside.example',
      name: 'Cleo Clerk',
      role: 'clinician',
    });
    const path = `/api/users/${invited.body.id}`;
    for (const body of [
      { name: 'Renamed', organizationId: '00000000-0000-4000-8000-000000000000' },
      { name: 'Renamed', status: 'active' },
      { name: 'Renamed', passwordHash: 'x' },
    ])
      expect(await admin.request('PATCH', path, body)).toMatchObject({
        status: 400,
        body: { statusCode: 400 },
      });
    expect(
      (
        await admin.request('POST', '/api/users', {
          email: 'x@riverside.example',
          name: 'X',
          role: 'clinician',
          organizationId: '00000000-0000-4000-8000-000000000000',
        })
      ).status,
    ).toBe(400);
    // class-transformer skips `__proto__` and `constructor` before validation sees them (its
    // guard against prototype pollution), so they cannot reach the service: the role stays.
    for (const body of [
      JSON.parse(
        '{"__proto__": {"role": "admin", "organizationId": "00000000-0000-4000-8000-000000000000"}}',
      ) as unknown,
      { constructor: { prototype: { role: 'admin' } } },
    ])
      expect((await admin.request('PATCH', path, body)).status).toBeLessThan(500);
    const colleague = await anonymous().login('nurse@riverside.example', PASSWORD);
    const me = await colleague.request<{ id: string }>('GET', '/api/auth/me');
    // Only admins change roles, their own included.
    expect((await colleague.request('PATCH', `/api/users/${me.body.id}`, { role: 'admin' })).status).toBe(
      403,
    );
    const after = await admin.request<{ displayName: string; role: string }>('GET', path);
    expect(after.body).toMatchObject({ displayName: 'Cleo Clerk', role: 'clinician' });
    const { rows } = await stack.database.pool.query<{ organization_id: string }>(
      'SELECT organization_id FROM users WHERE id = $1',
      [invited.body.id],
    );
    const adminOrg = await stack.database.pool.query<{ organization_id: string }>(
      'SELECT organization_id FROM users WHERE id = $1',
      [adminId],
    );
    expect(rows[0].organization_id).toBe(adminOrg.rows[0].organization_id);
  });

  it("disabling ends the user's sessions at once: the next request answers 401 and the socket closes within a second", async () => {
    const invited = await admin.request<{ id: string; invitation: { url: string } }>('POST', '/api/users', {
      email: 'leaver@riverside.example',
      name: 'Lee Leaver',
      role: 'clinician',
    });
    await accept(codeOf(invited.body.invitation.url));
    const leaver = await anonymous().login('leaver@riverside.example', PASSWORD);
    const socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token: leaver.accessToken },
      transports: ['websocket'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const disconnected = new Promise<number>((resolve) =>
        socket.once('disconnect', () => resolve(Date.now())),
      );
      const disabledAt = Date.now();
      expect((await admin.request('POST', `/api/users/${invited.body.id}/disable`)).status).toBe(200);
      expect((await leaver.request('GET', '/api/auth/me')).status).toBe(401);
      expect((await disconnected) - disabledAt).toBeLessThan(1000);
    } finally {
      socket.close();
    }
    await expect(anonymous().login('leaver@riverside.example', PASSWORD)).rejects.toThrow(/401/);
    expect((await admin.request('POST', `/api/users/${invited.body.id}/enable`)).status).toBe(200);
    await anonymous().login('leaver@riverside.example', PASSWORD);
  });

  it('demoting an admin ends their sessions: they sign in again with the new role', async () => {
    const invited = await admin.request<{ id: string; invitation: { url: string } }>('POST', '/api/users', {
      email: 'deputy@riverside.example',
      name: 'Dee Deputy',
      role: 'admin',
    });
    await accept(codeOf(invited.body.invitation.url));
    const deputy = await anonymous().login('deputy@riverside.example', PASSWORD);
    expect((await deputy.request('GET', '/api/users')).status).toBe(200);
    expect(
      (
        await admin.request<{ role: string }>('PATCH', `/api/users/${invited.body.id}`, {
          role: 'coordinator',
        })
      ).body,
    ).toMatchObject({ role: 'coordinator' });
    expect((await deputy.request('GET', '/api/auth/me')).status).toBe(401);
    const again = await anonymous().login('deputy@riverside.example', PASSWORD);
    expect(
      (await again.request('POST', '/api/users', { email: 'n@riverside.example', name: 'N', role: 'admin' }))
        .status,
    ).toBe(403);
  });

  it('never disables or demotes the last active admin', async () => {
    expect(await admin.request('POST', `/api/users/${adminId}/disable`)).toMatchObject({
      status: 409,
      body: { code: 'last_admin' },
    });
    expect(await admin.request('PATCH', `/api/users/${adminId}`, { role: 'clinician' })).toMatchObject({
      status: 409,
      body: { code: 'last_admin' },
    });
  });

  it('re-sends an invitation, voiding the old link', async () => {
    const invited = await admin.request<{ id: string; invitation: { url: string } }>('POST', '/api/users', {
      email: 'slow@riverside.example',
      name: 'Sam Slow',
      role: 'clinician',
    });
    const again = await admin.request<{ url: string }>('POST', `/api/users/${invited.body.id}/invitation`);
    expect(again.status).toBe(201);
    expect(await accept(codeOf(invited.body.invitation.url))).toMatchObject({
      status: 410,
      body: { code: 'invitation_expired' },
    });
    expect((await accept(codeOf(again.body.url))).status).toBe(200);
  });

  it('changes a password with the current one and signs out the other sessions, not this one', async () => {
    const here = await anonymous().login('nurse@riverside.example', PASSWORD);
    const elsewhere = await anonymous().login('nurse@riverside.example', PASSWORD);
    expect(
      await here.request('POST', '/api/auth/password', {
        currentPassword: 'not my password',
        newPassword: 'another quiet river',
      }),
    ).toMatchObject({ status: 400, body: { code: 'wrong_password' } });
    expect(
      await here.request('POST', '/api/auth/password', {
        currentPassword: PASSWORD,
        newPassword: 'qwerty123456',
      }),
    ).toMatchObject({ status: 400, body: { code: 'weak_password' } });
    expect(
      (
        await here.request('POST', '/api/auth/password', {
          currentPassword: PASSWORD,
          newPassword: 'another quiet river',
        })
      ).status,
    ).toBe(204);
    expect((await elsewhere.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await here.request('GET', '/api/auth/me')).status).toBe(200);
    await anonymous().login('nurse@riverside.example', 'another quiet river');
  });
});
