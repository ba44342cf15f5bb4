import { Module } from '@nestjs/common';
import { AuthController } from './auth/auth.controller';
import { AuthModule, IdentityModule } from './identity.module';
import { UsersController } from './users/users.controller';

/** Identity's routes. Its `AuthGuard` is handed to the platform's HTTP module by the app. */
@Module({ imports: [AuthModule, IdentityModule], controllers: [AuthController, UsersController] })
export class IdentityHttpModule {}
