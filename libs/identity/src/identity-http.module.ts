import { Module } from '@nestjs/common';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { AuthModule, IDENTITY_REPOSITORIES, IdentityModule } from './identity.module';
import { MfaAdminController } from './mfa/mfa-admin.controller';
import { MfaController } from './mfa/mfa.controller';
import { OidcAdminController } from './oidc/oidc-admin.controller';
import { OidcController } from './oidc/oidc.controller';
import { OidcModule } from './oidc/oidc.module';
import { AccountController } from './users/account.controller';
import { UserAdminService } from './users/user-admin.service';
import { UsersController } from './users/users.controller';

/**
 * Managing people: invitations, roles, disabling. Its `InvitationMailer` comes from the
 * notifications lib (a global provider there, since identity cannot import the layer above it).
 */
@Module({
  imports: [IdentityModule],
  providers: [UserAdminService, ...IDENTITY_REPOSITORIES],
  exports: [UserAdminService],
})
export class UserAdminModule {}

/** Identity's routes. Its `AuthGuard` is handed to the platform's HTTP module by the app. */
@Module({
  imports: [AuthModule, IdentityModule, UserAdminModule, OidcModule],
  controllers: [
    AuthController,
    UsersController,
    AccountController,
    AuditController,
    MfaController,
    MfaAdminController,
    OidcController,
    OidcAdminController,
  ],
})
export class IdentityHttpModule {}
