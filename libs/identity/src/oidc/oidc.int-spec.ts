import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
  type TestUser,
} from '@homeward/testing';
import type { Principal } from '../principal';
import { AuthService } from '../auth/auth.service';
import { OidcClient, type OidcClientSettings, type OidcFlowChecks } from './oidc-client';
import { OidcConfigService } from './oidc-config.service';
import type { ProviderClaims } from './oidc-sign-in.rules';
import { OidcModule } from './oidc.module';
import { OidcSignInService } from './oidc-sign-in.service';

/**
 * Stands in for the provider (the real one, through openid-client, is the end-to-end suite's):
 * it answers the claims the test sets, after checking it was given the stored checks.
 */
class ScriptedProvider extends OidcClient {
  claims: ProviderClaims & { sub: string } = { sub: 'x' };
  lastChecks?: OidcFlowChecks;
  /** The client secret each call authenticated with, as the provider would see it. */
  secretsSeen: string[] = [];

  authorizationUrl(settings: OidcClientSettings, checks: OidcFlowChecks): Promise<string> {
    this.lastChecks = checks;
    this.secretsSeen.push(settings.clientSecret);
    return Promise.resolve(`${settings.issuer}/auth?state=${checks.state}`);
  }

  verifyCallback(settings: OidcClientSettings, url: URL, checks: OidcFlowChecks) {
    this.secretsSeen.push(settings.clientSecret);
    if (url.searchParams.get('state') !== checks.state || checks.nonce !== this.lastChecks?.nonce)
      return Promise.reject(new Error('state or nonce mismatch'));
    return Promise.resolve(this.claims);
  }
}

const PUBLIC_URL = 'https://homeward.example.org';

describe('single sign-on: provider settings and sign-in state (PostgreSQL)', () => {
  let integration: IntegrationModule;
  let providers: OidcConfigService;
  let sso: OidcSignInService;
  let auth: AuthService;
  const provider = new ScriptedProvider();
  let slug: string;
  let organization: string;
  let admin: TestUser;
  let member: TestUser;
  let adminPrincipal: Principal;

  const pool = () => integration.database.pool;
  const audit = async (action: string) =>
    (
      await pool().query<{ actor_user_id: string | null; outcome: string; resource_id: string | null }>(
        'SELECT actor_user_id, outcome, resource_id FROM audit_events WHERE action = $1 ORDER BY id',
        [action],
      )
    ).rows;

  /** Starts a sign-in and comes back from the provider with these claims, as that browser. */
  async function signInWith(claims: ProviderClaims, options: { cookie?: string } = {}) {
    provider.claims = { sub: 'subject-1', ...claims };
    const { state } = await sso.start(slug);
    const callback = await sso.callback({
      url: new URL(`${PUBLIC_URL}/api/auth/oidc/callback?code=c&state=${state}`),
      state,
      browserState: options.cookie ?? state,
    });
    return { state: state!, callback: new URL(callback) };
  }

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [OidcModule],
      env: { JWT_SECRET: 'x'.repeat(40), PUBLIC_URL },
      overrides: [{ provide: OidcClient, useValue: provider }],
    });
    providers = integration.moduleRef.get(OidcConfigService);
    sso = integration.moduleRef.get(OidcSignInService);
    auth = integration.moduleRef.get(AuthService);
    organization = await createOrganization(pool());
    slug = (
      await pool().query<{ slug: string }>('SELECT slug FROM organizations WHERE id = $1', [organization])
    ).rows[0].slug;
    admin = await createUser(pool(), organization, 'admin');
    member = await createUser(pool(), organization, 'coordinator');
    adminPrincipal = { userId: admin.id, organizationId: organization, role: 'admin' };
  });

  afterAll(() => integration?.close());

  it('stores the provider per organisation, keeps the secret when it is left out, and audits each change', async () => {
    expect(await providers.get(adminPrincipal)).toBeUndefined();
    await expect(
      providers.put(adminPrincipal, { issuer: 'https://idp.example.org', clientId: 'homeward' }),
    ).rejects.toMatchObject({ status: 400, response: { code: 'oidc_client_secret_required' } });
    await expect(
      providers.put(adminPrincipal, {
        issuer: 'http://idp.example.org',
        clientId: 'homeward',
        clientSecret: 's',
      }),
    ).rejects.toMatchObject({ status: 400, response: { code: 'oidc_issuer_invalid' } });

    const saved = await providers.put(adminPrincipal, {
      issuer: 'https://idp.example.org',
      clientId: 'homeward',
      clientSecret: 'first-secret',
      allowedEmailDomains: ['@Test.Homeward.Test'],
    });
    expect(saved).toMatchObject({ allowedEmailDomains: ['test.homeward.test'] });
    const renamed = await providers.put(adminPrincipal, {
      issuer: 'https://idp.example.org',
      clientId: 'homeward-console',
      allowedEmailDomains: [],
    });
    // Kept, and still the sealed box of the first secret.
    expect(renamed).toMatchObject({ clientId: 'homeward-console', clientSecret: saved.clientSecret });
    expect(providers.redirectUri()).toBe(`${PUBLIC_URL}/api/auth/oidc/callback`);

    const other = await createOrganization(pool());
    expect(await providers.get({ userId: admin.id, organizationId: other, role: 'admin' })).toBeUndefined();

    await providers.delete(adminPrincipal);
    await expect(providers.delete(adminPrincipal)).rejects.toMatchObject({ status: 404 });
    expect((await audit('organization.oidc.update')).length).toBe(2);
    expect(await audit('organization.oidc.delete')).toEqual([
      { actor_user_id: admin.id, outcome: 'allowed', resource_id: organization },
    ]);
    await providers.put(adminPrincipal, {
      issuer: 'https://idp.example.org',
      clientId: 'homeward',
      clientSecret: 'second-secret',
    });
  });

  it('signs an active member in once: the state and the handoff code each work one time', async () => {
    const { state, callback } = await signInWith({ email: member.email.toUpperCase(), email_verified: true });
    const code = new URLSearchParams(callback.hash.slice(1)).get('sso_code')!;
    expect(callback.origin + callback.pathname).toBe(`${PUBLIC_URL}/`);
    expect(code).toMatch(/^[\w-]{43}$/);
    const stored = await pool().query<{ n: number }>('SELECT count(*)::int AS n FROM oidc_sign_in_states');
    expect(stored.rows[0].n).toBe(0);

    const tokens = await sso.exchange(code, { userAgent: 'jest' });
    expect(tokens.principal).toMatchObject({
      userId: member.id,
      organizationId: organization,
      role: 'coordinator',
    });
    expect(await auth.verify(tokens.accessToken)).toMatchObject({ userId: member.id });
    await expect(sso.exchange(code, {})).rejects.toMatchObject({
      status: 401,
      response: { code: 'invalid_sso_code' },
    });

    // The same state again (a replayed callback) signs nobody in.
    const replay = await sso.callback({
      url: new URL(`${PUBLIC_URL}/api/auth/oidc/callback?code=c&state=${state}`),
      state,
      browserState: state,
    });
    expect(replay).toBe(`${PUBLIC_URL}/#sso_error=sso_invalid_state`);
    expect((await audit('auth.sso.sign_in')).filter((row) => row.outcome === 'allowed')).toEqual([
      { actor_user_id: member.id, outcome: 'allowed', resource_id: organization },
    ]);
  });

  it('refuses a state another browser started, or one that expired, and audits each refusal', async () => {
    const foreign = await signInWith({ email: member.email, email_verified: true }, { cookie: 'another' });
    expect(foreign.callback.hash).toBe('#sso_error=sso_invalid_state');

    provider.claims = { sub: 's', email: member.email, email_verified: true };
    const { state } = await sso.start(slug);
    await pool().query("UPDATE oidc_sign_in_states SET expires_at = now() - interval '1 second'");
    const late = await sso.callback({
      url: new URL(`${PUBLIC_URL}/api/auth/oidc/callback?code=c&state=${state}`),
      state,
      browserState: state,
    });
    expect(late).toBe(`${PUBLIC_URL}/#sso_error=sso_invalid_state`);
    const none = await sso.callback({
      url: new URL(`${PUBLIC_URL}/api/auth/oidc/callback`),
      state: undefined,
      browserState: undefined,
    });
    expect(none).toBe(`${PUBLIC_URL}/#sso_error=sso_invalid_state`);
    expect(
      (await audit('auth.sso.sign_in')).filter((row) => row.resource_id === 'sso_invalid_state').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('refuses an unverified email, an unknown one (creating nobody), a disabled member and the user cancelling', async () => {
    const users = async () =>
      (await pool().query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const before = await users();
    expect((await signInWith({ email: member.email, email_verified: false })).callback.hash).toBe(
      '#sso_error=sso_email_unverified',
    );
    expect(
      (await signInWith({ email: 'stranger@test.homeward.test', email_verified: true })).callback.hash,
    ).toBe('#sso_error=sso_no_account');
    const outsider = await createUser(pool(), await createOrganization(pool()), 'admin');
    expect((await signInWith({ email: outsider.email, email_verified: true })).callback.hash).toBe(
      '#sso_error=sso_no_account',
    );
    const leaver = await createUser(pool(), organization, 'clinician');
    await pool().query('UPDATE users SET disabled_at = now() WHERE id = $1', [leaver.id]);
    expect((await signInWith({ email: leaver.email, email_verified: true })).callback.hash).toBe(
      '#sso_error=sso_no_account',
    );
    expect(await users()).toBe(before + 2);

    const { state } = await sso.start(slug);
    const cancelled = await sso.callback({
      url: new URL(`${PUBLIC_URL}/api/auth/oidc/callback?error=access_denied&state=${state}`),
      state,
      browserState: state,
    });
    expect(cancelled).toBe(`${PUBLIC_URL}/#sso_error=sso_provider_error`);

    const refusals = (await audit('auth.sso.sign_in')).filter((row) => row.outcome === 'denied');
    expect(refusals).toEqual(
      expect.arrayContaining([
        { actor_user_id: null, outcome: 'denied', resource_id: 'sso_email_unverified' },
        { actor_user_id: null, outcome: 'denied', resource_id: 'sso_no_account' },
        { actor_user_id: leaver.id, outcome: 'denied', resource_id: 'sso_no_account' },
        { actor_user_id: null, outcome: 'denied', resource_id: 'sso_provider_error' },
      ]),
    );
  });

  it('refuses the handoff of a member disabled after the provider vouched for them', async () => {
    const late = await createUser(pool(), organization, 'clinician');
    const { callback } = await signInWith({ email: late.email, email_verified: true });
    await pool().query('UPDATE users SET disabled_at = now() WHERE id = $1', [late.id]);
    const code = new URLSearchParams(callback.hash.slice(1)).get('sso_code')!;
    await expect(sso.exchange(code, {})).rejects.toMatchObject({ status: 401 });
  });

  it('keeps the client secret sealed at rest and gives the provider the secret in clear', async () => {
    const stored = async () =>
      (
        await pool().query<{ client_secret: string }>(
          'SELECT client_secret FROM oidc_providers WHERE organization_id = $1',
          [organization],
        )
      ).rows[0].client_secret;
    const sealed = await stored();
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('second-secret');
    provider.secretsSeen = [];
    await signInWith({ email: member.email, email_verified: true });
    expect(provider.secretsSeen).toEqual(['second-secret', 'second-secret']);

    // A box copied into another organisation's row does not open there: that sign-in is refused.
    const other = await createOrganization(pool());
    const otherSlug = (
      await pool().query<{ slug: string }>('SELECT slug FROM organizations WHERE id = $1', [other])
    ).rows[0].slug;
    await pool().query(
      `INSERT INTO oidc_providers (organization_id, issuer, client_id, client_secret) VALUES ($1, 'https://idp.example.org', 'homeward', $2)`,
      [other, sealed],
    );
    expect(await sso.start(otherSlug)).toEqual({ redirectTo: `${PUBLIC_URL}/#sso_error=sso_provider_error` });

    // A secret stored in clear before sealing still works, and is sealed when next saved.
    await pool().query('UPDATE oidc_providers SET client_secret = $2 WHERE organization_id = $1', [
      organization,
      'legacy-secret',
    ]);
    provider.secretsSeen = [];
    await signInWith({ email: member.email, email_verified: true });
    expect(provider.secretsSeen).toEqual(['legacy-secret', 'legacy-secret']);
    await providers.put(adminPrincipal, { issuer: 'https://idp.example.org', clientId: 'homeward' });
    expect(await stored()).toMatch(/^v1\./);
    await providers.put(adminPrincipal, {
      issuer: 'https://idp.example.org',
      clientId: 'homeward',
      clientSecret: 'second-secret',
    });
  });

  it('sends an organisation without a provider back to the console', async () => {
    expect(await sso.start('no-such-organisation')).toEqual({
      redirectTo: `${PUBLIC_URL}/#sso_error=sso_not_configured`,
    });
  });
});
