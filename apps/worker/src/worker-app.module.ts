import { Module, type DynamicModule } from '@nestjs/common';
import { AlertingJobsModule } from '@homeward/alerting';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { MonitoringJobsModule } from '@homeward/monitoring';
import { NOTIFICATIONS_JOB_MODULES } from '@homeward/notifications';
import { IdentityJobsModule } from '@homeward/identity';
import { LoggerModule, type Logger } from '@homeward/observability';
import { DatabaseModule, JobWorkersModule, RealtimeModule, RedisModule } from '@homeward/platform';
import { TelehealthJobsModule } from '@homeward/telehealth';

/** Every domain's job processors; start-up fails if a queue some module provides has none. */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        DatabaseModule,
        RedisModule,
        RealtimeModule,
        JobWorkersModule,
        MonitoringJobsModule,
        IdentityJobsModule,
        AlertingJobsModule,
        TelehealthJobsModule,
        ...NOTIFICATIONS_JOB_MODULES,
      ],
    };
  }
}
