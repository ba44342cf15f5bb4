import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { DatabaseModule } from '@homeward/db';
import { JobProcessorsModule } from '@homeward/job-processors';
import { MessagingModule } from '@homeward/messaging';
import { LoggerModule, type Logger } from '@homeward/observability';

@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        DatabaseModule,
        MessagingModule,
        JobProcessorsModule,
      ],
    };
  }
}
