import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseScopeHttpModule } from '@homeward/access';
import { AlertingHttpModule, AlertingJobsModule, pastCriticalDefault } from '@homeward/alerting';
import { CareHttpModule } from '@homeward/care';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { AuthGuard, AuthModule, IdentityHttpModule } from '@homeward/identity';
import { IngestConsumerModule, MonitoringHttpModule, MonitoringJobsModule } from '@homeward/monitoring';
import { NOTIFICATIONS_HTTP_MODULES, NOTIFICATIONS_JOB_MODULES } from '@homeward/notifications';
import { LoggerModule, type Logger } from '@homeward/observability';
import { PatientsHttpModule } from '@homeward/patients';
import {
  DatabaseModule,
  HealthModule,
  HttpPlatformModule,
  JobWorkersModule,
  RealtimeModule,
  RedisModule,
} from '@homeward/platform';
import { DemoModule } from './demo/demo.module';
import { OutsideNestLifecycle } from './outside-nest.lifecycle';
import { TelehealthHttpModule, TelehealthJobsModule } from '@homeward/telehealth';

/** Every role in one process (API, ingest, worker): for development and the demo. */
@Module({})
export class HomewardAppModule {
  static forRoot(
    config: AppConfig,
    logger: Logger,
    options: { embeddedBroker: boolean; outside: OutsideNestLifecycle },
  ): DynamicModule {
    return {
      module: HomewardAppModule,
      providers: [{ provide: OutsideNestLifecycle, useValue: options.outside }],
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
        IngestConsumerModule.forRoot(options.embeddedBroker ? 'embedded-broker' : 'mqtt-consumer', {
          urgentReading: pastCriticalDefault,
        }),
        JobWorkersModule,
        MonitoringJobsModule,
        AlertingJobsModule,
        TelehealthJobsModule,
        ...NOTIFICATIONS_JOB_MODULES,
        DemoModule,
      ],
    };
  }
}
