import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseScopeHttpModule } from '@homeward/access';
import { AlertingHttpModule } from '@homeward/alerting';
import { CareHttpModule } from '@homeward/care';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { AuthGuard, AuthModule, IdentityHttpModule } from '@homeward/identity';
import { MonitoringHttpModule } from '@homeward/monitoring';
import { NOTIFICATIONS_HTTP_MODULES } from '@homeward/notifications';
import { LoggerModule, type Logger } from '@homeward/observability';
import { PatientsHttpModule } from '@homeward/patients';
import {
  DatabaseModule,
  HealthModule,
  HttpPlatformModule,
  RealtimeModule,
  RedisModule,
} from '@homeward/platform';
import { TelehealthHttpModule } from '@homeward/telehealth';

/** The REST API and the alert socket: each domain's HTTP module over the platform's HTTP pipeline. */
@Module({})
export class ApiAppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ApiAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        DatabaseModule,
        RedisModule,
        RealtimeModule,
        HttpPlatformModule.forRoot({ imports: [AuthModule], guards: [AuthGuard] }),
        HealthModule,
        DatabaseScopeHttpModule,
        IdentityHttpModule,
        PatientsHttpModule,
        MonitoringHttpModule,
        AlertingHttpModule,
        TelehealthHttpModule,
        CareHttpModule,
        ...NOTIFICATIONS_HTTP_MODULES,
      ],
    };
  }
}
