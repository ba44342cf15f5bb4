import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@homeward/config';
import { DatabaseModule } from '@homeward/db';
import { HttpApiModule } from '@homeward/http-api';
import { MessagingModule } from '@homeward/messaging';
import { LoggerModule, type Logger } from '@homeward/observability';

@Module({})
export class ApiAppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ApiAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        DatabaseModule,
        MessagingModule,
        HttpApiModule,
      ],
    };
  }
}
