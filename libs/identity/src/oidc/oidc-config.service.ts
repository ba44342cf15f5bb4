import { Injectable } from '@nestjs/common';
import { AppConfig, publicUrl } from '@homeward/config';
import { Database } from '@homeward/platform';
import type { Principal } from '../principal';
import { AuditService } from '../audit/audit.service';
import type { OidcProviderRow } from '../identity.rows';
import { OrganizationService } from '../organizations/organization.service';
import { OidcClientSecretRequiredError, OidcIssuerInvalidError, OidcNotConfiguredError } from './oidc.errors';
import { issuerProblem, normaliseDomains, oidcCallbackUrl } from './oidc-sign-in.rules';
import { OidcClientSecrets } from './oidc-client-secrets';
import { OidcProviderRepository } from './oidc-provider.repository';

/** An organisation's single sign-on provider, managed by its admins. */
@Injectable()
export class OidcConfigService {
  constructor(
    private readonly providers: OidcProviderRepository,
    private readonly organizations: OrganizationService,
    private readonly audit: AuditService,
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly secrets: OidcClientSecrets,
  ) {}

  /** Where providers send browsers back, to register with them. */
  redirectUri(): string {
    return oidcCallbackUrl(publicUrl(this.config));
  }

  /** What an admin tells the provider (redirect URI) and the organisation's people (its slug). */
  async whereToSignIn(principal: Principal): Promise<{ redirectUri: string; organizationSlug: string }> {
    const organization = await this.organizations.findById(principal.organizationId);
    return { redirectUri: this.redirectUri(), organizationSlug: organization?.slug ?? '' };
  }

  /** The organisation's provider; undefined when single sign-on is off. */
  get(principal: Principal): Promise<OidcProviderRow | undefined> {
    return this.providers.find(principal.organizationId);
  }

  async put(
    principal: Principal,
    input: { issuer: string; clientId: string; clientSecret?: string; allowedEmailDomains?: string[] },
  ): Promise<OidcProviderRow> {
    // Issuers are compared exactly (OpenID Connect Discovery §4.3): no trailing-slash rewriting.
    const problem = issuerProblem(input.issuer, this.config.OIDC_ALLOW_INSECURE_ISSUERS);
    if (problem) throw new OidcIssuerInvalidError(problem);
    return this.db.transaction(async (q) => {
      // Left out, the stored secret is kept, sealed now if it was stored before sealing existed.
      const clientSecret =
        input.clientSecret ??
        this.secrets.plainSecret((await this.providers.find(principal.organizationId, q))?.clientSecret);
      const row = await this.providers.upsert(
        {
          organizationId: principal.organizationId,
          issuer: input.issuer,
          clientId: input.clientId,
          clientSecret:
            clientSecret === undefined ? null : this.secrets.seal(principal.organizationId, clientSecret),
          allowedEmailDomains: normaliseDomains(input.allowedEmailDomains ?? []),
        },
        q,
      );
      if (!row) throw new OidcClientSecretRequiredError();
      await this.audit.record(
        principal,
        'organization.oidc.update',
        { resourceType: 'organization', resourceId: principal.organizationId },
        q,
      );
      return row;
    });
  }

  async delete(principal: Principal): Promise<void> {
    await this.db.transaction(async (q) => {
      if (!(await this.providers.delete(principal.organizationId, q))) throw new OidcNotConfiguredError();
      await this.audit.record(
        principal,
        'organization.oidc.delete',
        { resourceType: 'organization', resourceId: principal.organizationId },
        q,
      );
    });
  }
}
