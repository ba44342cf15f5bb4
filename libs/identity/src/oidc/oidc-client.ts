import { Injectable } from '@nestjs/common';
import type * as OpenIdClientLib from 'openid-client';
import { AppConfig } from '@homeward/config';
import type { ProviderClaims } from './oidc-sign-in.rules';

/** The provider settings the client needs (the secret never leaves the server). */
export interface OidcClientSettings {
  organizationId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  updatedAt: Date;
}

/** What a sign-in sends the provider, and must find again in its answer. */
export interface OidcFlowChecks {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * The OpenID Connect relying party, behind an interface: `openid-client` is an ES module, which
 * the built apps load (Node 20.19+ `require`s ES modules) but jest's module runtime cannot, so
 * unit and integration specs never load it, and the end-to-end suite runs it against a real
 * provider.
 */
export abstract class OidcClient {
  /** The provider's authorization endpoint with the code flow's parameters (PKCE S256, state, nonce). */
  abstract authorizationUrl(settings: OidcClientSettings, checks: OidcFlowChecks): Promise<string>;

  /**
   * Exchanges the callback's code and validates the ID token (signature, issuer, audience, nonce,
   * expiry) and state; answers the ID token's claims, completed by UserInfo when it has no email.
   * Throws when anything does not hold.
   */
  abstract verifyCallback(
    settings: OidcClientSettings,
    callbackUrl: URL,
    checks: OidcFlowChecks,
  ): Promise<ProviderClaims & { sub: string }>;
}

type Lib = typeof OpenIdClientLib;

/** How long a provider's discovery document and keys are reused before being fetched again. */
const DISCOVERY_TTL_MS = 10 * 60_000;

@Injectable()
export class OpenIdConnectClient extends OidcClient {
  private lib?: Promise<Lib>;
  private readonly discovered = new Map<
    string,
    { at: number; configuration: Promise<OpenIdClientLib.Configuration> }
  >();

  constructor(private readonly config: AppConfig) {
    super();
  }

  async authorizationUrl(settings: OidcClientSettings, checks: OidcFlowChecks): Promise<string> {
    const lib = await this.load();
    const configuration = await this.configuration(settings);
    return lib
      .buildAuthorizationUrl(configuration, {
        redirect_uri: checks.redirectUri,
        scope: 'openid email',
        response_type: 'code',
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await lib.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  async verifyCallback(
    settings: OidcClientSettings,
    callbackUrl: URL,
    checks: OidcFlowChecks,
  ): Promise<ProviderClaims & { sub: string }> {
    const lib = await this.load();
    const configuration = await this.configuration(settings);
    const tokens = await lib.authorizationCodeGrant(
      configuration,
      callbackUrl,
      {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      },
      { redirect_uri: checks.redirectUri },
    );
    const claims = tokens.claims();
    if (!claims) throw new Error('The provider answered no ID token');
    if (typeof claims.email === 'string') return claims;
    // Many providers put the email in UserInfo only; it must be about the same subject.
    const info = await lib.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    return { ...info, sub: claims.sub };
  }

  private load(): Promise<Lib> {
    this.lib ??= import('openid-client');
    return this.lib;
  }

  private async configuration(settings: OidcClientSettings): Promise<OpenIdClientLib.Configuration> {
    const key = `${settings.organizationId}|${settings.updatedAt.toISOString()}`;
    const cached = this.discovered.get(key);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.configuration;
    for (const [other] of this.discovered)
      if (other.startsWith(`${settings.organizationId}|`)) this.discovered.delete(other);
    const lib = await this.load();
    const configuration = lib.discovery(
      new URL(settings.issuer),
      settings.clientId,
      undefined,
      lib.ClientSecretBasic(settings.clientSecret),
      this.config.OIDC_ALLOW_INSECURE_ISSUERS ? { execute: [lib.allowInsecureRequests] } : undefined,
    );
    this.discovered.set(key, { at: Date.now(), configuration });
    // A failed discovery is not remembered: the next sign-in asks the provider again.
    configuration.catch(() => this.discovered.delete(key));
    return configuration;
  }
}
