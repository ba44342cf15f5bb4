import { Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { InternalListener } from './internal-listener';
import { INTERNAL_ONLY } from './route-access.decorator';

/**
 * Routes marked @InternalOnly answer only on the internal listener, and every other route only
 * on the public port; the wrong port answers the same 404 as a route that does not exist.
 */
@Injectable()
export class InternalOnlyGuard implements CanActivate {
  constructor(
    private readonly listener: InternalListener,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const internalRoute =
      this.reflector.getAllAndOverride<boolean | undefined>(INTERNAL_ONLY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? false;
    const request = context.switchToHttp().getRequest<Request>();
    if (internalRoute === this.listener.received(request)) return true;
    throw new NotFoundException({
      message: `Cannot ${request.method} ${request.originalUrl}`,
      error: 'Not Found',
      statusCode: 404,
    });
  }
}
