import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { AppConfig } from '@homeward/config';
import { InjectLogger, withTimeout, type Logger } from '@homeward/observability';
import { Public } from '../http/route-access.decorator';
import { ReadinessChecks } from './readiness-checks';

/**
 * Public liveness and readiness. Anyone may ask, so answers are status words only: why a
 * dependency is down goes to the log and to /health/ready on OPS_PORT, never to the caller.
 * Metrics are served on OPS_PORT only.
 */
@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  @Get('health/live')
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['health', 'health/ready'])
  @HealthCheck()
  @ApiOkResponse({ description: 'PostgreSQL, Redis and MQTT are reachable' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the body says which, not why' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check(
      Object.entries(this.readiness.checks).map(([name, check]) => async () => {
        const indicator = this.indicators.check(name);
        try {
          await withTimeout(check(), this.config.HEALTH_CHECK_TIMEOUT_MS);
          return indicator.up();
        } catch (error) {
          this.logger.warn({ err: error, dependency: name }, 'Readiness check failed');
          return indicator.down();
        }
      }),
    );
  }
}
