import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../access/principal';
import type { UserRole } from '@homeward/contracts';

export const ROLES = 'homeward:roles';
/** Restricts a route to the given roles. */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES, roles);

export interface AuthenticatedRequest {
  principal?: Principal;
  /** The session (sign-in) the request's access token belongs to. */
  sessionId?: string;
  /** Set by pino-http from X-Request-Id or a fresh uuid. */
  id?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});

/** The session the request's access token belongs to. */
export const CurrentSessionId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.sessionId) throw new Error('CurrentSessionId used on a public route');
  return request.sessionId;
});
