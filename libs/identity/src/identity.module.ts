import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@homeward/config';
import { AccessPolicy } from './access/access-policy';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AuthService } from './auth/auth.service';
import { LoginLockout } from './auth/login-lockout';
import { PasswordHasher } from './auth/password-hasher';
import { OrganizationRepository } from './organizations/organization.repository';
import { OrganizationService } from './organizations/organization.service';
import { UserRepository } from './users/user.repository';
import { UserService } from './users/user.service';

const SERVICES = [AccessPolicy, AuditService, OrganizationService, UserService];

/** Who acts (users, organisations), what they may see (the access policy), and the audit trail. */
@Module({
  providers: [...SERVICES, AuditRepository, OrganizationRepository, UserRepository],
  exports: SERVICES,
})
export class IdentityModule {}

/** Only the processes that serve the API load this module, and their config requires the secret. */
function requireJwtSecret(config: AppConfig): string {
  if (!config.JWT_SECRET) throw new Error('JWT_SECRET is required wherever the API runs');
  return config.JWT_SECRET;
}

/** Sessions: sign-in and access tokens, for the processes that serve people (REST and sockets). */
@Module({
  imports: [
    IdentityModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: requireJwtSecret(config),
        signOptions: { algorithm: 'HS256', expiresIn: config.JWT_TTL_SECONDS, issuer: 'homeward' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'homeward' },
      }),
    }),
  ],
  providers: [AuthService, LoginLockout, PasswordHasher],
  exports: [AuthService, PasswordHasher],
})
export class AuthModule {}
