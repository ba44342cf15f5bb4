import { Module } from '@nestjs/common';
import { AuthModule, IdentityModule } from '../identity.module';
import { OidcClient, OpenIdConnectClient } from './oidc-client';
import { OidcClientSecrets } from './oidc-client-secrets';
import { OidcConfigService } from './oidc-config.service';
import { OidcProviderRepository } from './oidc-provider.repository';
import { OidcSignInRepository } from './oidc-sign-in.repository';
import { OidcSignInService } from './oidc-sign-in.service';

/** Single sign-on with each organisation's OpenID Connect provider. */
@Module({
  imports: [IdentityModule, AuthModule],
  providers: [
    OidcConfigService,
    OidcSignInService,
    OidcProviderRepository,
    OidcSignInRepository,
    OidcClientSecrets,
    { provide: OidcClient, useClass: OpenIdConnectClient },
  ],
  exports: [OidcConfigService, OidcSignInService],
})
export class OidcModule {}
