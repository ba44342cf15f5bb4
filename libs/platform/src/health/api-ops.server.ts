import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { InjectLogger, OpsServer, type Logger } from '@homeward/observability';
import { ReadinessChecks } from './readiness-checks';

/**
 * The API's internal health and metrics on OPS_PORT, as ingest and worker serve theirs:
 * /health/ready there names the failing dependency and why; the public /api/health does not.
 */
@Injectable()
export class ApiOpsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: OpsServer;

  constructor(
    private readonly config: AppConfig,
    private readonly readiness: ReadinessChecks,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.OPS_PORT === undefined) return;
    const server = new OpsServer(this.readiness.checks, this.config.HEALTH_CHECK_TIMEOUT_MS);
    const port = await server.listen(this.config.OPS_PORT, this.config.OPS_HOST);
    this.server = server;
    this.logger.info({ port, host: this.config.OPS_HOST }, 'Health and metrics listening');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
