import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Database } from '@homeward/db';
import { REDIS } from '@homeward/messaging';
import { metricsRegistry, withTimeout } from '@homeward/observability';
import { Public } from '../common/principal.decorator';
import { MqttMonitor } from './mqtt-monitor';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly mqtt: MqttMonitor,
  ) {}

  @Get('health/live')
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['health', 'health/ready'])
  @HealthCheck()
  @ApiOkResponse({ description: 'PostgreSQL, Redis and MQTT are reachable' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the body says which' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const check = this.indicators.check('database');
        try {
          await withTimeout(this.db.query('SELECT 1'), 2000);
          return check.up();
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      async () => {
        const check = this.indicators.check('redis');
        try {
          await withTimeout(this.redis.ping(), 2000);
          return check.up();
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      () => {
        const check = this.indicators.check('mqtt');
        if (!this.mqtt.configured) return check.down({ message: 'MQTT_URL is not set' });
        return this.mqtt.connected ? check.up() : check.down({ message: 'not connected to the broker' });
      },
    ]);
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
