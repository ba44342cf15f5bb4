import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@homeward/config';
import { SocketEmitter } from '@homeward/platform';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AuthService } from './auth/auth.service';
import { LoginLockout } from './auth/login-lockout';
import { PasswordHasher } from './auth/password-hasher';
import { EnrollmentTokens } from './mfa/enrollment-token';
import { MfaRepository } from './mfa/mfa.repository';
import { MfaService } from './mfa/mfa.service';
import { OrganizationRepository } from './organizations/organization.repository';
import { OrganizationService } from './organizations/organization.service';
import { SessionRepository } from './sessions/session.repository';
import { SessionJobs } from './sessions/session.jobs';
import { SessionService } from './sessions/session.service';
import { SessionsSweepProcessor } from './sessions/sessions-sweep.processor';
import { InvitationRepository } from './users/invitation.repository';
import { InvitationService } from './users/invitation.service';
import { UserRepository } from './users/user.repository';
import { UserService } from './users/user.service';

const SERVICES = [AuditService, OrganizationService, SessionService, UserService, InvitationService];
/** Identity's repositories, for its own modules only. */
export const IDENTITY_REPOSITORIES = [
  AuditRepository,
  OrganizationRepository,
  SessionRepository,
  UserRepository,
  InvitationRepository,
  MfaRepository,
];

/** Who acts (users, organisations) and the audit trail; what they may see is `@homeward/access`. */
@Module({
  providers: [
    ...SERVICES,
    ...IDENTITY_REPOSITORIES,
    // Revoking a session closes its sockets from any process, including those without RealtimeModule.
    SocketEmitter,
  ],
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
        signOptions: {
          algorithm: 'HS256',
          expiresIn: config.JWT_TTL_SECONDS,
          notBefore: 0,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
      }),
    }),
  ],
  providers: [
    AuthService,
    LoginLockout,
    PasswordHasher,
    MfaService,
    EnrollmentTokens,
    MfaRepository,
    OrganizationRepository,
    UserRepository,
  ],
  exports: [AuthService, PasswordHasher, MfaService],
})
export class AuthModule {}

/** Identity's work in worker processes: the sweep of ended sessions. */
@Module({ providers: [SessionRepository, SessionJobs, SessionsSweepProcessor] })
export class IdentityJobsModule {}
