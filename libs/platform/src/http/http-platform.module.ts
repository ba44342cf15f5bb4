import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Module, type CanActivate, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@homeward/config';
import { LOGGER, type Logger } from '@homeward/observability';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { LimitsModule } from '../limits/limits.module';
import { InternalListener } from './internal-listener';
import { InternalOnlyGuard } from './internal-only.guard';

/**
 * What every HTTP route passes through: the listener check, then the guards the app passes in
 * (authentication, from identity), the login throttle and the one exception filter. The app
 * hands the guards in so the platform names no domain, and so they run in this order: the
 * listener decides whether a route exists before any token check.
 */
@Module({})
export class HttpPlatformModule {
  static forRoot(options: {
    guards: Array<Type<CanActivate>>;
    imports: DynamicModule['imports'];
  }): DynamicModule {
    return {
      module: HttpPlatformModule,
      imports: [
        ...(options.imports ?? []),
        LimitsModule,
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
            return {
              throttlers: [
                { name: 'login', ttl: config.LOGIN_RATE_WINDOW_MS, limit: config.LOGIN_RATE_LIMIT },
              ],
              storage,
            };
          },
        }),
      ],
      providers: [
        InternalListener,
        { provide: APP_GUARD, useClass: InternalOnlyGuard },
        ...options.guards.map((guard) => ({ provide: APP_GUARD, useClass: guard })),
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
