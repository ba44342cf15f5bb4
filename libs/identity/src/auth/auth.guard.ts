import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { UserRole } from '@homeward/contracts';
import { IS_PUBLIC } from '@homeward/platform';
import { AuthService } from './auth.service';
import { ROLES, type AuthenticatedRequest } from './principal.decorator';

/** Every route requires a valid access token unless marked @Public; @Roles narrows further. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token =
      typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const session = token ? await this.auth.verifySession(token) : undefined;
    if (!session) {
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'invalid_token',
        message: 'A valid access token is required',
      });
    }
    const { principal } = session;
    request.principal = { ...principal, requestId: typeof request.id === 'string' ? request.id : undefined };
    request.sessionId = session.sessionId;
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        code: 'role_not_allowed',
        message: `Requires role ${roles.join(' or ')}`,
      });
    }
    return true;
  }
}
