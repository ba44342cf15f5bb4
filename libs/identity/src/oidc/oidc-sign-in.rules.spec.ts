import {
  consoleReturnUrl,
  cookieValue,
  hashFlowSecret,
  issuerProblem,
  mayUseOrganizationSso,
  newFlowSecret,
  normaliseDomains,
  verifiedEmailOf,
} from './oidc-sign-in.rules';

describe('single sign-on rules', () => {
  describe('the email a provider vouches for', () => {
    it('signs in a verified email, compared in lower case', () => {
      expect(verifiedEmailOf({ email: ' Dana.Head@Riverside.Example ', email_verified: true }, [])).toEqual({
        ok: true,
        email: 'dana.head@riverside.example',
      });
    });

    it.each([false, 'true', 1, undefined, null])(
      'refuses an email whose email_verified is %p, not exactly true',
      (verified) => {
        expect(verifiedEmailOf({ email: 'a@b.example', email_verified: verified }, [])).toEqual({
          ok: false,
          reason: 'sso_email_unverified',
        });
      },
    );

    it.each([undefined, '', 'not-an-email', 42])('refuses claims without a usable email (%p)', (email) => {
      expect(verifiedEmailOf({ email, email_verified: true }, [])).toEqual({
        ok: false,
        reason: 'sso_no_account',
      });
    });

    it('keeps to the allowed domains when the organisation lists any', () => {
      const allowed = ['riverside.example'];
      expect(verifiedEmailOf({ email: 'a@riverside.example', email_verified: true }, allowed).ok).toBe(true);
      expect(verifiedEmailOf({ email: 'a@evil.example', email_verified: true }, allowed)).toEqual({
        ok: false,
        reason: 'sso_domain_not_allowed',
      });
      // A look-alike subdomain is another domain.
      expect(verifiedEmailOf({ email: 'a@x.riverside.example', email_verified: true }, allowed).ok).toBe(
        false,
      );
    });
  });

  describe('who may sign in', () => {
    const organizationId = 'org-a';

    it('lets an active member of the organisation in', () => {
      expect(mayUseOrganizationSso({ organizationId, disabledAt: null }, organizationId)).toBe(true);
    });

    it('never signs in an unknown email (no account is created), a disabled member or another organisation’s user', () => {
      expect(mayUseOrganizationSso(undefined, organizationId)).toBe(false);
      expect(mayUseOrganizationSso({ organizationId, disabledAt: new Date() }, organizationId)).toBe(false);
      expect(mayUseOrganizationSso({ organizationId: 'org-b', disabledAt: null }, organizationId)).toBe(
        false,
      );
    });
  });

  describe('issuers', () => {
    it('accepts https issuers, with or without a path', () => {
      expect(issuerProblem('https://login.example.org', false)).toBeUndefined();
      expect(issuerProblem('https://login.example.org/realms/riverside', false)).toBeUndefined();
    });

    it('refuses http unless insecure issuers are allowed (development and tests)', () => {
      expect(issuerProblem('http://127.0.0.1:4000', false)).toBe('issuer must be an https URL');
      expect(issuerProblem('http://127.0.0.1:4000', true)).toBeUndefined();
    });

    it.each([
      'not a url',
      'ftp://x.example',
      'https://x.example/?a=1',
      'https://x.example/#f',
      'https://u:p@x.example',
    ])('refuses %s', (issuer) => {
      expect(issuerProblem(issuer, true)).toBeDefined();
    });
  });

  it('stores allowed domains in lower case, without @, once each', () => {
    expect(normaliseDomains(['@Riverside.example', 'riverside.example ', 'b.example', ''])).toEqual([
      'b.example',
      'riverside.example',
    ]);
  });

  it('hands the console its result in the fragment, which browsers never send to a server', () => {
    const url = new URL(consoleReturnUrl('https://homeward.example.org', { code: 'abc' }));
    expect(url.search).toBe('');
    expect(url.hash).toBe('#sso_code=abc');
    expect(consoleReturnUrl('http://localhost:3000', { error: 'sso_no_account' })).toBe(
      'http://localhost:3000/#sso_error=sso_no_account',
    );
  });

  it('makes 256-bit secrets, stored only as their hash', () => {
    const secret = newFlowSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newFlowSecret()).not.toBe(secret);
    expect(hashFlowSecret(secret)).toHaveLength(32);
    expect(hashFlowSecret(secret).equals(hashFlowSecret(secret))).toBe(true);
  });

  it('reads the state cookie among others', () => {
    expect(cookieValue('a=1; homeward_oidc_state=xyz; b=2', 'homeward_oidc_state')).toBe('xyz');
    expect(cookieValue('homeward_oidc_state_x=1', 'homeward_oidc_state')).toBeUndefined();
    expect(cookieValue(undefined, 'homeward_oidc_state')).toBeUndefined();
  });
});
