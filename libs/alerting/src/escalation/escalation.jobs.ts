import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { JobQueue, REDIS, defineJob, defineRecurringJob } from '@homeward/platform';

/**
 * Escalation's jobs. `alerts.escalate` is a delayed job per alert and step, the alarm clock of
 * a step kept in `alert_escalations`; the sweep re-arms what Redis lost.
 */
export const ESCALATION_JOBS = {
  'alerts.escalate': defineJob<{ alertId: string; step: 1 | 2; correlationId: string }>({
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    // Gone once finished, so the sweep can always re-enqueue a step that is still pending;
    // the step's row, not the job's existence, says whether it was taken.
    removeOnComplete: true,
    removeOnFail: true,
  }),
  /** Plans steps whose planning was lost and re-enqueues due steps; scheduled once per cluster. */
  'escalations.sweep': defineRecurringJob(),
};

@Injectable()
export class EscalationJobs extends JobQueue<typeof ESCALATION_JOBS> {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(ESCALATION_JOBS, redis, config.REDIS_PREFIX);
  }
}
