import {
  Controller,
  Get,
  Injectable,
  Module,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthenticatedRequest, Principal } from '@homeward/identity';
import { Database } from '@homeward/platform';
import {
  createIntegrationModule,
  createOrganization,
  createUser,
  type IntegrationModule,
} from '@homeward/testing';
import { DatabaseScopeHttpModule } from './database-scope';

let principal: Principal | undefined;

/** Stands in for identity's AuthGuard: the principal it would have resolved, or none (a public route). */
@Injectable()
class PrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (principal) request.principal = principal;
    return true;
  }
}

@Controller('probe')
class ProbeController {
  constructor(private readonly db: Database) {}

  /** What the database says the request runs as, after an await (the binding survives it). */
  @Get()
  async probe(): Promise<{ user: string; organization: string }> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { rows } = await this.db.query<{ user: string; organization: string }>(
      `SELECT current_user AS user, coalesce(current_setting('homeward.organization_id', true), '') AS organization`,
    );
    return rows[0];
  }
}

@Module({ controllers: [ProbeController], providers: [{ provide: APP_GUARD, useClass: PrincipalGuard }] })
class ProbeModule {}

describe('DatabaseScopeInterceptor: an authenticated request runs its queries in its principal’s scope', () => {
  let integration: IntegrationModule;
  let app: INestApplication;
  let url: string;
  let organizationId: string;
  let userId: string;

  beforeAll(async () => {
    integration = await createIntegrationModule({
      role: 'api',
      imports: [DatabaseScopeHttpModule, ProbeModule],
      env: { JWT_SECRET: 'x'.repeat(32) },
    });
    app = integration.moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = `${await app.getUrl()}/probe`.replace('[::1]', '127.0.0.1');
    organizationId = await createOrganization(integration.database.pool, 'Probe');
    userId = (await createUser(integration.database.pool, organizationId, 'clinician')).id;
  });

  afterAll(async () => {
    await app?.close();
    await integration?.database.drop();
  });

  it('binds the scope for a request with a principal, and nothing for one without', async () => {
    principal = { userId, organizationId, role: 'clinician' };
    const scoped = (await (await fetch(url)).json()) as { user: string; organization: string };
    expect(scoped).toMatchObject({ user: 'homeward_scoped', organization: organizationId });
    principal = undefined;
    const open = (await (await fetch(url)).json()) as { user: string; organization: string };
    expect(open.user).not.toBe('homeward_scoped');
    expect(open.organization).toBe('');
  });
});
