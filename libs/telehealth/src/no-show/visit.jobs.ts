import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { JobQueue, REDIS, defineJob, defineRecurringJob } from '@homeward/platform';

/**
 * Telehealth's jobs. `visits.no-show` is a delayed job per visit and deadline (its scheduled
 * time, and again when a clinician joins); the sweep catches what Redis lost.
 */
export const VISIT_JOBS = {
  'visits.no-show': defineJob<{ visitId: string; correlationId: string }>({
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    // The visit's row, not the job's existence, says whether it was missed.
    removeOnComplete: true,
    removeOnFail: true,
  }),
  /** Marks missed the scheduled visits past their deadline whose job was lost; once per cluster. */
  'visits.no-show-sweep': defineRecurringJob(),
};

@Injectable()
export class VisitJobs extends JobQueue<typeof VISIT_JOBS> {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(VISIT_JOBS, redis, config.REDIS_PREFIX);
  }
}

/** One job per visit and deadline: the same deadline is never queued twice (ids without `:`). */
export function noShowJobId(visitId: string, deadline: Date): string {
  return `visit-no-show-${visitId}-${deadline.getTime()}`;
}
