import { Injectable } from '@nestjs/common';
import { AppConfig, publicUrl } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import type { Principal } from '../principal';
import { AuditService } from '../audit/audit.service';
import { AuthService, type IssuedTokens } from '../auth/auth.service';
import type { SessionClient } from '../sessions/session.service';
import { UserService } from '../users/user.service';
import type { OidcProviderRow } from '../identity.rows';
import { OidcClient, type OidcClientSettings, type OidcFlowChecks } from './oidc-client';
import { OidcClientSecrets } from './oidc-client-secrets';
import { InvalidSsoCodeError } from './oidc.errors';
import {
  consoleReturnUrl,
  HANDOFF_TTL_SECONDS,
  hashFlowSecret,
  mayUseOrganizationSso,
  newFlowSecret,
  oidcCallbackUrl,
  STATE_TTL_SECONDS,
  verifiedEmailOf,
  type SsoRefusal,
} from './oidc-sign-in.rules';
import { OidcProviderRepository } from './oidc-provider.repository';
import { OidcSignInRepository } from './oidc-sign-in.repository';

/** What the provider's redirect to the callback carried. */
export interface OidcCallback {
  /** The callback URL as the provider sent the browser to it (its query holds code, state, iss). */
  url: URL;
  state: string | undefined;
  /** The state the browser that started the sign-in keeps in its cookie. */
  browserState: string | undefined;
  requestId?: string;
}

/** The provider's row with its client secret in clear, for the client only. */
type ProviderSettings = OidcProviderRow & OidcClientSettings;

class SsoRefused extends Error {
  constructor(
    readonly reason: SsoRefusal,
    readonly organizationId: string | null,
    readonly user?: Principal,
  ) {
    super(reason);
  }
}

/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, RFC 7636), per
 * organisation:
 * 1. `start` keeps a state, nonce and PKCE verifier for ten minutes and sends the browser to
 *    the organisation's provider; the state also goes in a cookie of that browser.
 * 2. `callback` takes the state back (once), checks it is that browser's, lets the client
 *    exchange the code and validate the ID token, and maps the provider's verified email to an
 *    active user of the organisation: never a new account. It answers the console's address with
 *    a one-time code in the fragment, or the reason it refused.
 * 3. `exchange` turns that code, once and within a minute, into a session made exactly as a
 *    password sign-in makes one. The provider owns the factors: no local second factor is asked.
 */
@Injectable()
export class OidcSignInService {
  constructor(
    private readonly providers: OidcProviderRepository,
    private readonly flows: OidcSignInRepository,
    private readonly client: OidcClient,
    private readonly users: UserService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly secrets: OidcClientSecrets,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Where to send the browser (the provider, or the console with a refusal), and the state for its cookie. */
  async start(organizationSlug: string): Promise<{ redirectTo: string; state?: string }> {
    const found = await this.providers.findBySlug(organizationSlug);
    if (!found) return { redirectTo: this.consoleUrl({ error: 'sso_not_configured' }) };
    const provider = this.clientSettings(found);
    if (!provider) return { redirectTo: this.consoleUrl({ error: 'sso_provider_error' }) };
    const checks = {
      redirectUri: this.redirectUri(),
      state: newFlowSecret(),
      nonce: newFlowSecret(),
      codeVerifier: newFlowSecret(),
    };
    let redirectTo: string;
    try {
      redirectTo = await this.client.authorizationUrl(provider, checks);
    } catch (error) {
      this.logProviderError(provider.organizationId, error);
      return { redirectTo: this.consoleUrl({ error: 'sso_provider_error' }) };
    }
    await this.flows.deleteExpired(new Date());
    await this.flows.insertState(hashFlowSecret(checks.state), {
      organizationId: provider.organizationId,
      codeVerifier: checks.codeVerifier,
      nonce: checks.nonce,
      expiresAt: new Date(Date.now() + STATE_TTL_SECONDS * 1000),
    });
    return { redirectTo, state: checks.state };
  }

  /** The console's address with a one-time code, or with the reason nobody was signed in (audited). */
  async callback(callback: OidcCallback): Promise<string> {
    try {
      const user = await this.verify(callback);
      const code = newFlowSecret();
      await this.flows.insertHandoff(
        hashFlowSecret(code),
        user,
        new Date(Date.now() + HANDOFF_TTL_SECONDS * 1000),
      );
      await this.audit.record(user, 'auth.sso.sign_in', {
        resourceType: 'organization',
        resourceId: user.organizationId,
      });
      return this.consoleUrl({ code });
    } catch (error) {
      if (!(error instanceof SsoRefused)) throw error;
      await this.recordRefusal(error, callback.requestId);
      return this.consoleUrl({ error: error.reason });
    }
  }

  /** A session for the user a handoff code names, once; the same tokens a password sign-in answers. */
  async exchange(code: string, client: SessionClient): Promise<IssuedTokens> {
    const handoff = await this.flows.takeHandoff(hashFlowSecret(code));
    // Disabled in the minute since the provider vouched for them: no session.
    const user = handoff && (await this.users.findActive(handoff));
    if (!user) throw new InvalidSsoCodeError();
    return this.auth.signInVerified(
      { userId: user.id, organizationId: user.organizationId, role: user.role },
      client,
    );
  }

  /** The user the callback signs in; throws SsoRefused otherwise. */
  private async verify(callback: OidcCallback): Promise<Principal> {
    const { state } = callback;
    const found = state ? await this.flows.takeState(hashFlowSecret(state)) : undefined;
    // A state is the browser's own only if that browser's cookie holds it: this stops a callback
    // URL captured from someone else's sign-in from signing a victim in (login CSRF).
    if (!state || !found || found.expiresAt <= new Date() || callback.browserState !== state)
      throw new SsoRefused('sso_invalid_state', found?.organizationId ?? null);
    const stored = await this.providers.find(found.organizationId);
    if (!stored) throw new SsoRefused('sso_not_configured', found.organizationId);
    const provider = this.clientSettings(stored);
    if (!provider) throw new SsoRefused('sso_provider_error', found.organizationId);
    const claims = await this.providerClaims(provider, callback.url, {
      ...found,
      state,
      redirectUri: this.redirectUri(),
    });
    const identity = verifiedEmailOf(claims, provider.allowedEmailDomains);
    if (!identity.ok) throw new SsoRefused(identity.reason, provider.organizationId);
    const user = await this.users.findByEmail(identity.email);
    if (!user || !mayUseOrganizationSso(user, provider.organizationId)) {
      // A disabled member is named in the refusal's audit row; someone of another organisation is not.
      const member = user?.organizationId === provider.organizationId;
      throw new SsoRefused(
        'sso_no_account',
        provider.organizationId,
        member ? { userId: user.id, organizationId: user.organizationId, role: user.role } : undefined,
      );
    }
    return {
      userId: user.id,
      organizationId: user.organizationId,
      role: user.role,
      requestId: callback.requestId,
    };
  }

  private async providerClaims(provider: ProviderSettings, url: URL, checks: OidcFlowChecks) {
    if (url.searchParams.has('error')) {
      // The user cancelled at the provider, or it refused: nothing to exchange.
      throw new SsoRefused('sso_provider_error', provider.organizationId);
    }
    try {
      return await this.client.verifyCallback(provider, url, checks);
    } catch (error) {
      this.logProviderError(provider.organizationId, error);
      throw new SsoRefused('sso_provider_error', provider.organizationId);
    }
  }

  private async recordRefusal(refusal: SsoRefused, requestId?: string): Promise<void> {
    const target = {
      resourceType: 'sso_sign_in',
      resourceId: refusal.reason,
      outcome: 'denied' as const,
    };
    if (refusal.user) await this.audit.record({ ...refusal.user, requestId }, 'auth.sso.sign_in', target);
    else
      await this.audit.recordUnauthenticated(
        { role: 'anonymous', organizationId: refusal.organizationId, requestId },
        'auth.sso.sign_in',
        target,
      );
    this.logger.info(
      { reason: refusal.reason, organizationId: refusal.organizationId },
      'Single sign-on refused',
    );
  }

  /** The error's kind and message only: never the client's secret nor the provider's tokens. */
  /** The provider with its client secret opened; undefined (and logged) when it cannot be. */
  private clientSettings(provider: OidcProviderRow): ProviderSettings | undefined {
    const clientSecret = this.secrets.open(provider.organizationId, provider.clientSecret);
    if (clientSecret === undefined) {
      this.logger.error(
        { organizationId: provider.organizationId },
        "The organisation's single sign-on client secret does not decrypt (MFA_SECRET_KEY or JWT_SECRET changed?): an admin must enter it again",
      );
      return undefined;
    }
    return { ...provider, clientSecret };
  }

  private logProviderError(organizationId: string, error: unknown): void {
    const { name, message, code } = (error ?? {}) as { name?: string; message?: string; code?: string };
    this.logger.warn({ organizationId, error: { name, code, message } }, 'Single sign-on provider error');
  }

  private redirectUri(): string {
    return oidcCallbackUrl(publicUrl(this.config));
  }

  private consoleUrl(result: { code: string } | { error: SsoRefusal }): string {
    return consoleReturnUrl(publicUrl(this.config), result);
  }
}
