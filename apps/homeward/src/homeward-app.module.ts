import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { DatabaseModule } from '@homeward/db';
import { HttpApiModule } from '@homeward/http-api';
import { IngestConsumerModule } from '@homeward/ingest-consumer';
import { JobProcessorsModule } from '@homeward/job-processors';
import { MessagingModule } from '@homeward/messaging';
import { LoggerModule, type Logger } from '@homeward/observability';
import { OutsideNestLifecycle } from './outside-nest.lifecycle';

/** Every role in one process: for development and the demo. */
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
        MessagingModule,
        HttpApiModule,
        IngestConsumerModule.forRoot(options.embeddedBroker ? 'embedded-broker' : 'mqtt-consumer'),
        JobProcessorsModule,
      ],
    };
  }
}
