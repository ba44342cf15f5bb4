import { Global, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { LOGGER, type Logger } from '@homeward/observability';
import { Database } from './database';
import { AlertRepository } from './repositories/alert.repository';
import { AuditRepository } from './repositories/audit.repository';
import { DeviceRepository } from './repositories/device.repository';
import { DeviceMessageRepository } from './repositories/device-message.repository';
import { IngestBatchRepository } from './repositories/ingest-batch.repository';
import { OrganizationRepository } from './repositories/organization.repository';
import { PatientRepository } from './repositories/patient.repository';
import { ReadingRepository } from './repositories/reading.repository';
import { RejectionRepository } from './repositories/rejection.repository';
import { UserRepository } from './repositories/user.repository';

const REPOSITORIES = [
  AlertRepository,
  AuditRepository,
  DeviceRepository,
  DeviceMessageRepository,
  IngestBatchRepository,
  OrganizationRepository,
  PatientRepository,
  ReadingRepository,
  RejectionRepository,
  UserRepository,
];

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) =>
        new Database({
          connectionString: config.DATABASE_URL,
          max: config.DATABASE_POOL_MAX,
          applicationName: `homeward-${config.role}`,
          onError: (error) =>
            logger.error({ err: error }, 'PostgreSQL connection lost; the pool reconnects on demand'),
        }),
    },
    ...REPOSITORIES,
  ],
  exports: [Database, ...REPOSITORIES],
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
