import {
  Injectable,
  Module,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Observable } from 'rxjs';
import type { AuthenticatedRequest, Principal } from '@homeward/identity';
import { DatabaseSession } from '@homeward/platform';
import { AccessModule } from './access.module';
import { AccessPolicy } from './access-policy';

/**
 * Binds a principal's patient scope to the database session of the work it does, so every query
 * runs under row-level security as well as its own scope condition: the second line, which holds
 * when a query forgets the first.
 */
@Injectable()
export class DatabaseScope {
  constructor(
    private readonly access: AccessPolicy,
    private readonly session: DatabaseSession,
  ) {}

  run<T>(principal: Principal, work: () => T): T {
    const scope = this.access.patientScope(principal);
    return this.session.run({ organizationId: scope.organizationId, userId: scope.careTeamUserId }, work);
  }
}

/**
 * Every authenticated HTTP request runs in its principal's scope. Guards run before
 * interceptors, so the auth guard has resolved the principal here; public routes have none and
 * run as platform work. The handler is subscribed inside the binding, so its promise chain
 * carries it.
 */
@Injectable()
export class DatabaseScopeInterceptor implements NestInterceptor {
  constructor(private readonly scope: DatabaseScope) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) return next.handle();
    return new Observable((subscriber) =>
      this.scope.run(principal, () => next.handle().subscribe(subscriber)),
    );
  }
}

/** `DatabaseScope` for socket gateways and the like. */
@Module({ imports: [AccessModule], providers: [DatabaseScope], exports: [DatabaseScope] })
export class DatabaseScopeModule {}

/** The HTTP pipeline's binding: apps that serve the API load it once. */
@Module({
  imports: [DatabaseScopeModule],
  providers: [{ provide: APP_INTERCEPTOR, useClass: DatabaseScopeInterceptor }],
})
export class DatabaseScopeHttpModule {}
