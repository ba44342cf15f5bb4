import { randomBytes } from 'node:crypto';
import type { DynamicModule, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import pino from 'pino';
import { ConfigModule, loadConfig, type ProcessRole } from '@homeward/config';
import { LoggerModule } from '@homeward/observability';
import { DatabaseModule, RealtimeModule, RedisModule } from '@homeward/platform';
import { deleteRedisKeys, TEST_REDIS_URL } from './stack';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface IntegrationModule {
  moduleRef: TestingModule;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * A domain's Nest modules over the platform's real stores, for integration specs: a migrated
 * database of its own, a Redis prefix of its own, silent logs. `env` adds to what `role` needs.
 */
export async function createIntegrationModule(options: {
  role: ProcessRole;
  imports: Array<Type | DynamicModule>;
  env?: Record<string, string>;
  database?: TestDatabase;
  /** Providers replaced by test doubles of our own interfaces (never PostgreSQL, Redis or the broker). */
  overrides?: Array<{ provide: unknown; useValue: unknown }>;
}): Promise<IntegrationModule> {
  const database = options.database ?? (await createTestDatabase());
  const redisPrefix = options.env?.REDIS_PREFIX ?? `hwint-${randomBytes(4).toString('hex')}`;
  const config = loadConfig(options.role, {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    ...options.env,
    REDIS_PREFIX: redisPrefix,
  });
  const builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      LoggerModule.forRoot(pino({ level: 'silent' })),
      DatabaseModule,
      RedisModule,
      RealtimeModule,
      ...options.imports,
    ],
  });
  for (const override of options.overrides ?? [])
    builder.overrideProvider(override.provide).useValue(override.useValue);
  const moduleRef = await builder.compile();
  try {
    await moduleRef.init();
  } catch (error) {
    // A module that fails to start must not leave connections behind for jest to wait on. Nest's
    // close() first awaits the failed initialisation and rethrows its error, so forget it first.
    (moduleRef as unknown as { initializationPromise?: Promise<void> }).initializationPromise = undefined;
    await moduleRef.close();
    if (!options.database) await database.drop();
    await deleteRedisKeys(redisPrefix);
    throw error;
  }
  return {
    moduleRef,
    database,
    close: async () => {
      await moduleRef.close();
      if (!options.database) await database.drop();
      await deleteRedisKeys(redisPrefix);
    },
  };
}
