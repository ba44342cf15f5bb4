import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import type { AuthenticatedRequest } from '../auth/principal.decorator';
import { MfaService } from './mfa.service';

/**
 * The enrolment routes are marked public for the global guard and guarded here instead: they take
 * the access token of a live session, as every route does, or an enrollment token (what sign-in
 * answers when the organisation requires an authenticator the user has not set up).
 */
@Injectable()
export class MfaAccessGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token =
      typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    const session = token ? await this.auth.verifySession(token) : undefined;
    if (session) {
      request.principal = { ...session.principal, requestId };
      request.sessionId = session.sessionId;
      return true;
    }
    const enrolling = token ? await this.mfa.verifyEnrollmentToken(token) : undefined;
    if (enrolling) {
      request.principal = { ...enrolling, requestId };
      return true;
    }
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'invalid_token',
      message: 'A valid access token is required',
    });
  }
}
