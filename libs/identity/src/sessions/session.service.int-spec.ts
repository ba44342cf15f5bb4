import type { TestingModule } from '@nestjs/testing';
import { Database } from '@homeward/platform';
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
import { SessionService } from './session.service';

describe('SessionService: sessions and refresh-token families on PostgreSQL and Redis', () => {
  let integration: IntegrationModule;
  let moduleRef: TestingModule;
  let database: TestDatabase;
  let auth: AuthService;
  let sessions: SessionService;
  let user: TestUser;

  const signIn = () => auth.login(user.email, user.password, { userAgent: 'jest', ipAddress: '127.0.0.1' });
  const refreshStatus = (token: string) =>
    auth.refresh(token).then(
      () => 200,
      (error: { getStatus?: () => number }) => error.getStatus?.() ?? 500,
    );
  const auditActions = async (sessionId: string) =>
    (
      await database.pool.query<{ action: string; outcome: string }>(
        `SELECT action, outcome FROM audit_events WHERE resource_id = $1 ORDER BY id`,
        [sessionId],
      )
    ).rows.map((row) => `${row.action}:${row.outcome}`);

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [AuthModule],
      env: { JWT_SECRET: 'session-integration-secret-0123456789abcdef', REFRESH_REUSE_GRACE_SECONDS: '10' },
    });
    ({ moduleRef, database } = integration);
    auth = moduleRef.get(AuthService);
    sessions = moduleRef.get(SessionService);
    user = await createUser(database.pool, await createOrganization(database.pool), 'coordinator');
  });

  afterAll(async () => {
    await integration?.close();
  });

  it('keeps a session per sign-in, with only a hash of its refresh token', async () => {
    const login = await signIn();
    const { rows } = await database.pool.query<{ user_agent: string; tokens: string[] }>(
      `SELECT s.user_agent, array_agg(encode(t.token_hash, 'hex')) AS tokens
       FROM sessions s JOIN refresh_tokens t ON t.session_id = s.id WHERE s.id = $1 GROUP BY s.id`,
      [login.sessionId],
    );
    expect(rows[0].user_agent).toBe('jest');
    expect(rows[0].tokens).toHaveLength(1);
    expect(rows[0].tokens[0]).not.toContain(Buffer.from(login.refreshToken).toString('hex'));
    expect(Buffer.from(login.refreshToken, 'base64url')).toHaveLength(32);
    expect(await auth.verifySession(login.accessToken)).toMatchObject({ sessionId: login.sessionId });
  });

  it('rotates the refresh token on every refresh, in the same session', async () => {
    const login = await signIn();
    const first = await auth.refresh(login.refreshToken);
    const second = await auth.refresh(first.refreshToken);
    expect(new Set([login.refreshToken, first.refreshToken, second.refreshToken]).size).toBe(3);
    expect(second.sessionId).toBe(login.sessionId);
    expect(await auth.verifySession(second.accessToken)).toMatchObject({ sessionId: login.sessionId });
    expect(await auditActions(login.sessionId)).toEqual([
      'session.sign_in:allowed',
      'session.refresh:allowed',
      'session.refresh:allowed',
    ]);
  });

  it('revokes the whole family when a replaced token is used again: the thief’s and the owner’s next refresh both fail', async () => {
    const login = await signIn();
    const owner = await auth.refresh(login.refreshToken);
    // The grace window has passed for the stolen, replaced token.
    await database.pool.query(
      `UPDATE refresh_tokens SET replaced_at = now() - interval '1 minute' WHERE session_id = $1 AND replaced_at IS NOT NULL`,
      [login.sessionId],
    );
    expect(await refreshStatus(login.refreshToken)).toBe(401);
    expect(await refreshStatus(owner.refreshToken)).toBe(401);
    expect(await auth.verifySession(owner.accessToken)).toBeUndefined();
    const { rows } = await database.pool.query<{ revoked_reason: string }>(
      `SELECT revoked_reason FROM sessions WHERE id = $1`,
      [login.sessionId],
    );
    expect(rows[0].revoked_reason).toBe('refresh_token_reuse');
    expect(await auditActions(login.sessionId)).toContain('session.refresh:denied');
  });

  it('lets two tabs refresh with the same token at the same moment, within the grace window', async () => {
    const login = await signIn();
    const [tabA, tabB] = await Promise.all([
      auth.refresh(login.refreshToken),
      auth.refresh(login.refreshToken),
    ]);
    expect(tabA.sessionId).toBe(login.sessionId);
    expect(tabB.sessionId).toBe(login.sessionId);
    // Both tabs go on refreshing with what they were given.
    expect(await refreshStatus(tabA.refreshToken)).toBe(200);
    expect(await refreshStatus(tabB.refreshToken)).toBe(200);
  });

  it('refuses a refresh once the session expired, absolutely or idle', async () => {
    const absolute = await signIn();
    await database.pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      absolute.sessionId,
    ]);
    expect(await refreshStatus(absolute.refreshToken)).toBe(401);
    const idle = await signIn();
    await database.pool.query(
      `UPDATE sessions SET last_used_at = now() - interval '13 hours' WHERE id = $1`,
      [idle.sessionId],
    );
    expect(await refreshStatus(idle.refreshToken)).toBe(401);
    expect(await refreshStatus('not-a-token-we-issued')).toBe(401);
  });

  it('refuses a refresh for a disabled user', async () => {
    const other = await createUser(database.pool, user.organizationId, 'clinician');
    const login = await auth.login(other.email, other.password);
    await database.pool.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [other.id]);
    expect(await refreshStatus(login.refreshToken)).toBe(401);
  });

  it('logout ends this session only; logout-all ends every session of the user', async () => {
    const one = await signIn();
    const two = await signIn();
    const three = await signIn();
    await auth.logout(one.principal, one.sessionId);
    expect(await auth.verifySession(one.accessToken)).toBeUndefined();
    expect(await refreshStatus(one.refreshToken)).toBe(401);
    expect(await auth.verifySession(two.accessToken)).toBeDefined();

    await auth.logoutAll(two.principal);
    expect(await auth.verifySession(two.accessToken)).toBeUndefined();
    expect(await auth.verifySession(three.accessToken)).toBeUndefined();
    expect(await refreshStatus(three.refreshToken)).toBe(401);
    expect(await auditActions(one.sessionId)).toContain('session.sign_out:allowed');
  });

  it('revokeUserSessions revokes in the caller’s transaction, sparing the named session', async () => {
    const keep = await signIn();
    const drop = await signIn();
    const db = moduleRef.get(Database);
    await db.transaction((q) => sessions.revokeUserSessions(q, user.id, 'password_changed', keep.sessionId));
    expect(await auth.verifySession(keep.accessToken)).toBeDefined();
    expect(await auth.verifySession(drop.accessToken)).toBeUndefined();
    expect(await refreshStatus(drop.refreshToken)).toBe(401);
  });

  it('fails closed when the caller’s transaction rolls back: the sessions stay signed out', async () => {
    const login = await signIn();
    const db = moduleRef.get(Database);
    await expect(
      db.transaction(async (q) => {
        await sessions.revokeUserSessions(q, user.id, 'user_disabled');
        throw new Error('the rest of the change failed');
      }),
    ).rejects.toThrow('the rest of the change failed');
    expect(await auth.verifySession(login.accessToken)).toBeUndefined();
    expect(await refreshStatus(login.refreshToken)).toBe(401);
  });
});
