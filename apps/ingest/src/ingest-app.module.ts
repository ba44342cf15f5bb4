import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { DatabaseModule } from '@homeward/db';
import { IngestConsumerModule } from '@homeward/ingest-consumer';
import { MessagingModule } from '@homeward/messaging';
import { LoggerModule, type Logger } from '@homeward/observability';

@Module({})
export class IngestAppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: IngestAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        DatabaseModule,
        MessagingModule,
        IngestConsumerModule.forRoot('mqtt-consumer'),
      ],
    };
  }
}
