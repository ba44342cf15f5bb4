import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@homeward/config';
import { AccessModule } from '@homeward/core';
import { LOGGER, type Logger } from '@homeward/observability';
import { AlertsController } from './alerts/alerts.controller';
import { AuthController } from './auth/auth.controller';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { AuthGuard } from './common/auth.guard';
import { InternalListener } from './common/internal-listener';
import { InternalOnlyGuard } from './common/internal-only.guard';
import { ApiOpsServer } from './health/api-ops.server';
import { HealthController } from './health/health.controller';
import { MqttMonitor } from './health/mqtt-monitor';
import { ReadinessChecks } from './health/readiness-checks';
import { MqttAuthController } from './mqtt-auth/mqtt-auth.controller';
import { PatientsController } from './patients/patients.controller';
import { AlertsGateway } from './realtime/alerts.gateway';

@Module({
  imports: [
    AccessModule,
    TerminusModule.forRoot({ logger: false }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => {
        // In Redis, under the process's prefix, so every API replica counts against one limit.
        const storage = new ThrottlerStorageRedisService(config.REDIS_URL, {
          keyPrefix: `${config.REDIS_PREFIX}:throttle:`,
          connectionName: `homeward-${config.role}-throttle`,
          maxRetriesPerRequest: 1,
        });
        storage.redis.on('error', (error) =>
          logger.warn({ err: error }, 'Redis (throttle) connection error'),
        );
        return { throttlers: [{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT }], storage };
      },
    }),
  ],
  controllers: [AuthController, PatientsController, AlertsController, HealthController, MqttAuthController],
  providers: [
    // Guards run in this order: the listener decides whether a route exists before any token check.
    { provide: APP_GUARD, useClass: InternalOnlyGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    AlertsGateway,
    MqttMonitor,
    ReadinessChecks,
    ApiOpsServer,
    InternalListener,
  ],
})
export class HttpApiModule {}
