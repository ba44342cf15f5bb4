import { Module } from '@nestjs/common';
import { AuthController } from './auth/auth.controller';
import { AuthModule, IDENTITY_REPOSITORIES, IdentityModule } from './identity.module';
import { AccountController } from './users/account.controller';
import { UserAdminService } from './users/user-admin.service';
import { UsersController } from './users/users.controller';

/**
 * Identity's routes. Its `AuthGuard` is handed to the platform's HTTP module by the app, and the
 * `InvitationMailer` that user management sends through comes from the notifications lib (a
 * global provider there, since identity cannot import the layer above it).
 */
@Module({
  imports: [AuthModule, IdentityModule],
  controllers: [AuthController, UsersController, AccountController],
  providers: [UserAdminService, ...IDENTITY_REPOSITORIES],
})
export class IdentityHttpModule {}
