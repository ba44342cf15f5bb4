import {
  ApiClient,
  TestOidcProvider,
  TestStack,
  createOrganization,
  createUser,
  type TestUser,
} from '@homeward/testing';

/** Cookies as a browser keeps them for one host (ports share cookies, as in browsers). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

async function get(url: string, jar: CookieJar): Promise<Response> {
  const response = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
  jar.take(response);
  return response;
}

function locationOf(response: Response, base: string): string {
  const location = response.headers.get('location');
  if (response.status !== 302 && response.status !== 303)
    throw new Error(`expected a redirect, got ${response.status}`);
  if (!location) throw new Error('redirect without a location');
  return new URL(location, base).toString();
}

describe('single sign-on with OpenID Connect against a real provider', () => {
  let stack: TestStack;
  let provider: TestOidcProvider;
  let slug: string;
  let organization: string;
  let admin: ApiClient;
  let adminUser: TestUser;
  let member: TestUser;
  const anonymous = () => new ApiClient(stack.apiUrl);
  const callbackPrefix = () => `${stack.apiUrl}/api/auth/oidc/callback`;

  /**
   * What a browser does between "Sign in with single sign-on" and the provider sending it back:
   * the API's start redirect (and its state cookie), the provider's login form (any password) and
   * consent. Answers the callback URL the provider redirects to, not yet followed.
   */
  async function authorize(
    login: string,
    jar = new CookieJar(),
  ): Promise<{ callback: string; jar: CookieJar }> {
    let url = locationOf(
      await get(`${stack.apiUrl}/api/auth/oidc/start?organization=${slug}`, jar),
      stack.apiUrl,
    );
    for (let step = 0; step < 20; step += 1) {
      if (url.startsWith(callbackPrefix())) return { callback: url, jar };
      const response = await get(url, jar);
      if (response.status >= 300 && response.status < 400) {
        url = locationOf(response, url);
        continue;
      }
      const page = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1] ?? 'consent';
      if (!action) throw new Error(`unexpected provider page ${response.status}: ${page.slice(0, 300)}`);
      const fields: Record<string, string> =
        prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
      const submitted = await fetch(new URL(action.replace(/&amp;/g, '&'), url), {
        method: 'POST',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      jar.take(submitted);
      url = locationOf(submitted, url);
    }
    throw new Error('the provider never sent the browser back');
  }

  /** Follows the callback as the browser: answers the fragment the console receives. */
  async function finish(callback: string, jar: CookieJar): Promise<Record<string, string>> {
    const destination = new URL(locationOf(await get(callback, jar), stack.apiUrl));
    expect(`${destination.origin}${destination.pathname}${destination.search}`).toBe(`${stack.apiUrl}/`);
    return Object.fromEntries(new URLSearchParams(destination.hash.slice(1)));
  }

  async function signIn(login: string): Promise<Record<string, string>> {
    const { callback, jar } = await authorize(login);
    return finish(callback, jar);
  }

  const auditRows = async (action: string) =>
    (
      await stack.database.pool.query<{
        actor_user_id: string | null;
        outcome: string;
        resource_id: string | null;
      }>('SELECT actor_user_id, outcome, resource_id FROM audit_events WHERE action = $1 ORDER BY id', [
        action,
      ])
    ).rows;

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api'],
      env: { OIDC_ALLOW_INSECURE_ISSUERS: 'true', LOGIN_RATE_LIMIT: '1000' },
    });
    provider = await TestOidcProvider.start(`${stack.apiUrl}/api/auth/oidc/callback`);
    organization = await createOrganization(stack.database.pool, 'Riverside');
    slug = (
      await stack.database.pool.query<{ slug: string }>('SELECT slug FROM organizations WHERE id = $1', [
        organization,
      ])
    ).rows[0].slug;
    adminUser = await createUser(stack.database.pool, organization, 'admin');
    member = await createUser(stack.database.pool, organization, 'clinician');
    admin = await anonymous().login(adminUser.email, adminUser.password);
  }, 60_000);

  afterAll(async () => {
    await provider?.stop();
    await stack?.stop();
  });

  it('lets admins set the provider up without ever answering its secret, and others not at all', async () => {
    const clinician = await anonymous().login(member.email, member.password);
    const body = {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
    };
    expect((await clinician.request('PUT', '/api/admin/oidc', body)).status).toBe(403);
    // Before anything is set up, the redirect URI to register at the provider is already there.
    expect((await admin.request('GET', '/api/admin/oidc')).body).toEqual({
      configured: false,
      issuer: null,
      clientId: null,
      allowedEmailDomains: [],
      redirectUri: `${stack.apiUrl}/api/auth/oidc/callback`,
      organizationSlug: slug,
      updatedAt: null,
    });
    expect(
      (await admin.request('PUT', '/api/admin/oidc', { ...body, issuer: 'ftp://idp.example' })).body,
    ).toMatchObject({ code: 'oidc_issuer_invalid' });

    const saved = await admin.request<Record<string, unknown>>('PUT', '/api/admin/oidc', body);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      configured: true,
      issuer: provider.issuer,
      clientId: provider.clientId,
      allowedEmailDomains: [],
      redirectUri: `${stack.apiUrl}/api/auth/oidc/callback`,
      organizationSlug: slug,
      updatedAt: expect.any(String),
    });
    const read = await admin.request('GET', '/api/admin/oidc');
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(provider.clientSecret);
    expect((await clinician.request('GET', '/api/admin/oidc')).status).toBe(403);
    expect(await auditRows('organization.oidc.update')).toEqual([
      { actor_user_id: adminUser.id, outcome: 'allowed', resource_id: organization },
    ]);
  });

  it('signs in an existing member whose verified email the provider vouches for, with the session a password sign-in gets', async () => {
    const result = await signIn(member.email);
    expect(result.sso_code).toMatch(/^[\w-]{43}$/);
    const exchanged = await anonymous().request<{
      accessToken: string;
      refreshToken: string;
      user: { id: string };
    }>('POST', '/api/auth/oidc/exchange', { code: result.sso_code });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.user.id).toBe(member.id);
    const session = new ApiClient(stack.apiUrl, exchanged.body.accessToken);
    expect((await session.request<{ id: string }>('GET', '/api/auth/me')).body.id).toBe(member.id);
    const refreshed = await anonymous().request('POST', '/api/auth/refresh', {
      refreshToken: exchanged.body.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    // The code works once.
    expect(
      (await anonymous().request('POST', '/api/auth/oidc/exchange', { code: result.sso_code })).body,
    ).toMatchObject({ code: 'invalid_sso_code' });
    expect(await auditRows('auth.sso.sign_in')).toContainEqual({
      actor_user_id: member.id,
      outcome: 'allowed',
      resource_id: organization,
    });
    expect((await auditRows('session.sign_in')).some((row) => row.actor_user_id === member.id)).toBe(true);
    // Neither the secret nor the one-time code reaches the API's log.
    expect(stack.app('api').log).not.toContain(provider.clientSecret);
    expect(stack.app('api').log).not.toContain(result.sso_code);
  });

  it('refuses an email the provider has not verified', async () => {
    expect(await signIn(`unverified:${member.email}`)).toEqual({ sso_error: 'sso_email_unverified' });
  });

  it('refuses an unknown email and creates no account', async () => {
    const count = async () =>
      (await stack.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const before = await count();
    expect(await signIn('newcomer@test.homeward.test')).toEqual({ sso_error: 'sso_no_account' });
    expect(await count()).toBe(before);
    expect(await auditRows('auth.sso.sign_in')).toContainEqual({
      actor_user_id: null,
      outcome: 'denied',
      resource_id: 'sso_no_account',
    });
  });

  it('refuses a disabled member', async () => {
    const leaver = await createUser(stack.database.pool, organization, 'coordinator');
    expect((await admin.request('POST', `/api/users/${leaver.id}/disable`)).status).toBe(200);
    expect(await signIn(leaver.email)).toEqual({ sso_error: 'sso_no_account' });
  });

  it('refuses a tampered state, a callback replayed, and a callback from another browser', async () => {
    const tampered = await authorize(member.email);
    const url = new URL(tampered.callback);
    url.searchParams.set('state', 'A'.repeat(43));
    expect(await finish(url.toString(), tampered.jar)).toEqual({ sso_error: 'sso_invalid_state' });

    const first = await authorize(member.email);
    const replayJar = new CookieJar();
    replayJar.take(
      new Response(null, {
        headers: { 'set-cookie': `homeward_oidc_state=${new URL(first.callback).searchParams.get('state')}` },
      }),
    );
    expect((await finish(first.callback, first.jar)).sso_code).toBeDefined();
    expect(await finish(first.callback, replayJar)).toEqual({ sso_error: 'sso_invalid_state' });

    // A callback URL someone else's browser received: this browser never started that sign-in.
    const theirs = await authorize(member.email);
    expect(await finish(theirs.callback, new CookieJar())).toEqual({ sso_error: 'sso_invalid_state' });
  });

  it('sends the browser back to the console when the provider cannot be reached', async () => {
    const unreachable = { issuer: 'http://127.0.0.1:9', clientId: provider.clientId };
    expect((await admin.request('PUT', '/api/admin/oidc', unreachable)).status).toBe(200);
    const start = await get(`${stack.apiUrl}/api/auth/oidc/start?organization=${slug}`, new CookieJar());
    expect(locationOf(start, stack.apiUrl)).toBe(`${stack.apiUrl}/#sso_error=sso_provider_error`);
    const restored = { issuer: provider.issuer, clientId: provider.clientId };
    expect((await admin.request('PUT', '/api/admin/oidc', restored)).status).toBe(200);
    expect((await signIn(member.email)).sso_code).toBeDefined();
  });

  it('turns single sign-on off for the organisation, and passwords keep working', async () => {
    expect((await admin.request('DELETE', '/api/admin/oidc')).status).toBe(204);
    const jar = new CookieJar();
    const start = await get(`${stack.apiUrl}/api/auth/oidc/start?organization=${slug}`, jar);
    expect(locationOf(start, stack.apiUrl)).toBe(`${stack.apiUrl}/#sso_error=sso_not_configured`);
    expect(await auditRows('organization.oidc.delete')).toHaveLength(1);
    expect(stack.app('api').log).not.toContain(provider.clientSecret);
    await anonymous().login(member.email, member.password);
  });
});
