import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { LOGGER, withTimeout, type Logger } from '@homeward/observability';
import { AlertPublisher } from './alert-publisher';
import { JobQueue } from './job-queue';
import { createRedis } from './redis';

export const REDIS = Symbol('REDIS');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
export const ALERT_PUBLISHER = Symbol('ALERT_PUBLISHER');

/** Redis-backed infrastructure of a process: one connection, the job queues, the alert emitter. */
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
    {
      provide: JOB_QUEUE,
      inject: [REDIS, AppConfig],
      useFactory: (redis: Redis, config: AppConfig) => new JobQueue(redis, config.REDIS_PREFIX),
    },
    {
      provide: ALERT_PUBLISHER,
      inject: [REDIS, AppConfig],
      useFactory: (redis: Redis, config: AppConfig) => new AlertPublisher(redis, config.REDIS_PREFIX),
    },
  ],
  exports: [REDIS, JOB_QUEUE, ALERT_PUBLISHER],
})
export class MessagingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Start-up fails loud when Redis is unreachable. */
  async onModuleInit(): Promise<void> {
    try {
      await withTimeout(this.redis.ping(), 5000);
    } catch (error) {
      throw new Error(`Redis check failed: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.jobs.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
