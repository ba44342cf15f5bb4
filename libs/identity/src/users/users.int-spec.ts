import { Global, Module } from '@nestjs/common';
import { Database, type Queryable } from '@homeward/platform';
import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
  type TestUser,
} from '@homeward/testing';
import type { Principal } from '../principal';
import { verifyPassword } from '../auth/password';
import { UserAdminModule } from '../identity-http.module';
import { InvitationMailer, type InvitationMail } from './invitation-mailer';
import { NewUserCareTeams } from './new-user-care-teams';
import { InvitationService } from './invitation.service';
import { UserAdminService } from './user-admin.service';

/** Records what would go to the outbox (the notifications lib provides the real one, above identity). */
class RecordingMailer extends InvitationMailer {
  readonly added: InvitationMail[] = [];
  readonly dispatched: string[] = [];
  add(mail: InvitationMail, _tx: Queryable): Promise<string[]> {
    this.added.push(mail);
    return Promise.resolve([`mail-${this.added.length}`]);
  }
  dispatch(ids: readonly string[]): Promise<void> {
    this.dispatched.push(...ids);
    return Promise.resolve();
  }
}

const mailer = new RecordingMailer();

@Global()
@Module({
  providers: [
    { provide: InvitationMailer, useValue: mailer },
    // Care teams are the access lib's: users created here name none.
    { provide: NewUserCareTeams, useValue: { assignNewUser: () => Promise.resolve() } },
  ],
  exports: [InvitationMailer, NewUserCareTeams],
})
class RecordingMailModule {}

const codeOf = (url: string): string => new URL(url).searchParams.get('code')!;
const PASSWORD = 'a long quiet river at dawn';

describe('people: invitations and user management (PostgreSQL)', () => {
  let integration: IntegrationModule;
  let users: UserAdminService;
  let invitations: InvitationService;
  let organization: string;
  let admin: TestUser;
  let adminPrincipal: Principal;

  const pool = () => integration.database.pool;
  const auditActions = async (resourceId: string): Promise<string[]> =>
    (
      await pool().query<{ action: string }>(
        'SELECT action FROM audit_events WHERE resource_id = $1 ORDER BY id',
        [resourceId],
      )
    ).rows.map((row) => row.action);

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [RecordingMailModule, UserAdminModule],
      env: {
        JWT_SECRET: 'x'.repeat(40),
        PUBLIC_URL: 'https://homeward.example.org',
        INVITATION_TTL_HOURS: '24',
      },
    });
    users = integration.moduleRef.get(UserAdminService);
    invitations = integration.moduleRef.get(InvitationService);
    organization = await createOrganization(pool());
    admin = await createUser(pool(), organization, 'admin');
    adminPrincipal = { userId: admin.id, organizationId: organization, role: 'admin' };
  });

  afterAll(() => integration?.close());

  it('invites a user, emails the link, and accepting it sets the password once', async () => {
    const { user, invitation } = await users.invite(adminPrincipal, {
      email: 'Maria.Lopez@clinic.example',
      displayName: 'Maria Lopez',
      role: 'coordinator',
    });
    expect(user.passwordHash).toBeNull();
    expect(invitation.url).toMatch(/^https:\/\/homeward\.example\.org\/invitations\/accept\?code=[\w-]{43}$/);
    expect(invitation.expiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(mailer.added.at(-1)).toMatchObject({ userId: user.id, url: invitation.url });
    expect(mailer.dispatched.length).toBe(mailer.added.length);

    const code = codeOf(invitation.url);
    const stored = await pool().query<{ code_hash: string }>(
      'SELECT code_hash FROM user_invitations WHERE user_id = $1',
      [user.id],
    );
    expect(stored.rows[0].code_hash).not.toContain(code);

    await expect(invitations.accept(code, 'short')).rejects.toMatchObject({
      response: { code: 'weak_password' },
    });
    await expect(invitations.accept(code, 'Password1234')).rejects.toMatchObject({
      response: { code: 'weak_password', reason: 'too_common' },
    });
    await invitations.accept(code, PASSWORD);
    const after = await users.get(adminPrincipal, user.id);
    expect(await verifyPassword(after.passwordHash!, PASSWORD)).toBe(true);
    await expect(invitations.accept(code, PASSWORD)).rejects.toMatchObject({
      status: 410,
      response: { code: 'invitation_used' },
    });
    expect(await auditActions(user.id)).toEqual([
      'user.create',
      'user.invitation.issue',
      'user.invitation.accept',
    ]);
  });

  it('answers 404 for an unknown code and 410 for an expired or replaced one', async () => {
    await expect(invitations.accept('no-such-code', PASSWORD)).rejects.toMatchObject({
      status: 404,
      response: { code: 'invitation_not_found' },
    });
    const { user, invitation } = await users.invite(adminPrincipal, {
      email: 'late@clinic.example',
      displayName: 'Late Comer',
      role: 'clinician',
    });
    await pool().query(
      "UPDATE user_invitations SET expires_at = now() - interval '1 second' WHERE user_id = $1",
      [user.id],
    );
    await expect(invitations.accept(codeOf(invitation.url), PASSWORD)).rejects.toMatchObject({
      status: 410,
      response: { code: 'invitation_expired' },
    });
    const first = await users.reissueInvitation(adminPrincipal, user.id);
    const second = await users.reissueInvitation(adminPrincipal, user.id);
    await expect(invitations.accept(codeOf(first.url), PASSWORD)).rejects.toMatchObject({
      response: { code: 'invitation_expired' },
    });
    await invitations.accept(codeOf(second.url), PASSWORD);
  });

  it('refuses a taken email, whatever its case', async () => {
    await expect(
      users.invite(adminPrincipal, { email: admin.email.toUpperCase(), displayName: 'Copy', role: 'admin' }),
    ).rejects.toMatchObject({ status: 409, response: { code: 'email_taken' } });
  });

  it('never disables or demotes the last active admin, and lets go once another admin exists', async () => {
    const org = await createOrganization(pool(), 'Small Practice');
    const only = await createUser(pool(), org, 'admin');
    const principal: Principal = { userId: only.id, organizationId: org, role: 'admin' };
    // An invited admin who has not set a password cannot manage anything yet: they do not count.
    await users.invite(principal, {
      email: `invited-${org}@clinic.example`,
      displayName: 'Invited',
      role: 'admin',
    });
    await expect(users.disable(principal, only.id)).rejects.toMatchObject({
      status: 409,
      response: { code: 'last_admin' },
    });
    await expect(users.update(principal, only.id, { role: 'clinician' })).rejects.toMatchObject({
      response: { code: 'last_admin' },
    });
    const second = await createUser(pool(), org, 'admin');
    await users.update(principal, second.id, { role: 'coordinator' });
    const promoted = await users.update(principal, second.id, { role: 'admin', displayName: 'Second Admin' });
    expect(promoted).toMatchObject({ role: 'admin', displayName: 'Second Admin' });
    const disabled = await users.disable(principal, only.id);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await auditActions(only.id)).toEqual(['user.disable']);
    expect(await auditActions(second.id)).toEqual(['user.update', 'user.update']);
  });

  it('keeps one admin when two admins disable each other at the same time', async () => {
    const org = await createOrganization(pool(), 'Race Practice');
    const [a, b] = [await createUser(pool(), org, 'admin'), await createUser(pool(), org, 'admin')];
    const results = await Promise.allSettled([
      users.disable({ userId: a.id, organizationId: org, role: 'admin' }, b.id),
      users.disable({ userId: b.id, organizationId: org, role: 'admin' }, a.id),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const { rows } = await pool().query(
      'SELECT id FROM users WHERE organization_id = $1 AND disabled_at IS NULL',
      [org],
    );
    expect(rows).toHaveLength(1);
  });

  it('disabling voids the open invitation; enabling restores the user', async () => {
    const { user, invitation } = await users.invite(adminPrincipal, {
      email: 'gone@clinic.example',
      displayName: 'Gone Soon',
      role: 'clinician',
    });
    await users.disable(adminPrincipal, user.id);
    await expect(invitations.accept(codeOf(invitation.url), PASSWORD)).rejects.toMatchObject({
      response: { code: 'invitation_expired' },
    });
    await expect(users.reissueInvitation(adminPrincipal, user.id)).rejects.toMatchObject({
      response: { code: 'user_disabled' },
    });
    const enabled = await users.enable(adminPrincipal, user.id);
    expect(enabled.disabledAt).toBeNull();
    expect(await auditActions(user.id)).toEqual([
      'user.create',
      'user.invitation.issue',
      'user.disable',
      'user.enable',
    ]);
  });

  it("answers 404 for another organisation's user", async () => {
    const other = await createUser(pool(), await createOrganization(pool(), 'Elsewhere'), 'clinician');
    await expect(users.get(adminPrincipal, other.id)).rejects.toMatchObject({ status: 404 });
    await expect(users.disable(adminPrincipal, other.id)).rejects.toMatchObject({ status: 404 });
    await expect(users.update(adminPrincipal, other.id, { role: 'admin' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('changes a password with the current one, under the rules, audited', async () => {
    const user = await createUser(pool(), organization, 'clinician');
    const principal: Principal = { userId: user.id, organizationId: organization, role: 'clinician' };
    await expect(
      users.changePassword(principal, undefined, 'wrong password here', PASSWORD),
    ).rejects.toMatchObject({
      status: 400,
      response: { code: 'wrong_password' },
    });
    await expect(
      users.changePassword(principal, undefined, user.password, 'qwerty123456'),
    ).rejects.toMatchObject({
      response: { code: 'weak_password' },
    });
    await users.changePassword(principal, undefined, user.password, PASSWORD);
    const { rows } = await pool().query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [user.id],
    );
    expect(await verifyPassword(rows[0].password_hash, PASSWORD)).toBe(true);
    expect(await auditActions(user.id)).toEqual(['user.password.change']);
  });

  it('creates an organisation and its invited admin for a fresh install', async () => {
    const created = await invitations.createOrganization({
      name: 'Riverside Clinic',
      adminEmail: 'head@riverside.example',
      adminName: 'Head Admin',
    });
    expect(created.organization.slug).toBe('riverside-clinic');
    expect(created.admin).toMatchObject({ role: 'admin', passwordHash: null });
    await expect(
      invitations.createOrganization({
        name: 'Riverside Clinic',
        adminEmail: 'x@riverside.example',
        adminName: 'X',
      }),
    ).rejects.toMatchObject({ response: { code: 'organization_exists' } });
    await invitations.accept(codeOf(created.invitation.url), PASSWORD);
    const { rows } = await integration.moduleRef
      .get(Database)
      .query<{ action: string; actor_role: string }>(
        'SELECT action, actor_role FROM audit_events WHERE organization_id = $1 ORDER BY id',
        [created.organization.id],
      );
    expect(rows.map((row) => row.action)).toEqual([
      'organization.create',
      'user.create',
      'user.invitation.issue',
      'user.invitation.accept',
    ]);
    expect(rows[0].actor_role).toBe('system');
  });
});
