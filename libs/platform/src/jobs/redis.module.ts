import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { LOGGER, withTimeout, type Logger } from '@homeward/observability';
import { createRedis } from './redis';

export const REDIS = Symbol('REDIS');

/** The process's Redis connection, shared by its job queues and socket emitters. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => {
        const redis = createRedis(config.REDIS_URL, { connectionName: `homeward-${config.role}` });
        redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));
        return redis;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Start-up fails loud when Redis is unreachable. */
  async onModuleInit(): Promise<void> {
    try {
      await withTimeout(this.redis.ping(), 5000);
    } catch (error) {
      throw new Error(`Redis check failed: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
