import { Module, type DynamicModule } from '@nestjs/common';
import { pastCriticalDefault } from '@homeward/alerting';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { IngestConsumerModule } from '@homeward/monitoring';
import { LoggerModule, type Logger } from '@homeward/observability';
import { DatabaseModule, RedisModule } from '@homeward/platform';

@Module({})
export class IngestAppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: IngestAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        DatabaseModule,
        RedisModule,
        IngestConsumerModule.forRoot('mqtt-consumer', { urgentReading: pastCriticalDefault }),
      ],
    };
  }
}
