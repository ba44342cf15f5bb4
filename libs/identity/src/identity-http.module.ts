import { Module } from '@nestjs/common';
import { AuthController } from './auth/auth.controller';
import { AuthModule } from './identity.module';

/** Identity's routes. Its `AuthGuard` is handed to the platform's HTTP module by the app. */
@Module({ imports: [AuthModule], controllers: [AuthController] })
export class IdentityHttpModule {}
