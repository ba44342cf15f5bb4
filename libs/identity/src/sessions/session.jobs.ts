import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { JobQueue, REDIS, defineRecurringJob } from '@homeward/platform';

/** Identity's jobs: the sweep of ended sessions, scheduled once per cluster. */
export const SESSION_JOBS = {
  'sessions.sweep': defineRecurringJob(),
};

@Injectable()
export class SessionJobs extends JobQueue<typeof SESSION_JOBS> {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(SESSION_JOBS, redis, config.REDIS_PREFIX);
  }
}
