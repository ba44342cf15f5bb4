import { Global, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { LOGGER, type Logger } from '@homeward/observability';
import { Database } from './database';
import { DatabaseSession } from './database-session';

/** The process's one PostgreSQL pool. Each domain module provides its own repositories over it. */
@Global()
@Module({
  providers: [
    { provide: DatabaseSession, useFactory: () => new DatabaseSession() },
    {
      provide: Database,
      inject: [AppConfig, LOGGER, DatabaseSession],
      useFactory: (config: AppConfig, logger: Logger, session: DatabaseSession) =>
        new Database({
          session,
          connectionString: config.DATABASE_URL,
          max: config.DATABASE_POOL_MAX,
          applicationName: `homeward-${config.role}`,
          onError: (error) =>
            logger.error({ err: error }, 'PostgreSQL connection lost; the pool reconnects on demand'),
        }),
    },
  ],
  exports: [Database, DatabaseSession],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly db: Database) {}

  /** Start-up fails loud when PostgreSQL is unreachable or the schema is not migrated. */
  async onModuleInit(): Promise<void> {
    try {
      await this.db.query('SELECT 1 FROM pgmigrations LIMIT 1');
    } catch (error) {
      const reason =
        (error as { code?: string }).code === '42P01'
          ? 'the schema is not migrated (run npm run migrate)'
          : (error as Error).message;
      throw new Error(`PostgreSQL check failed: ${reason}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
