import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { JobQueue, REDIS, defineJob, defineRecurringJob } from '@homeward/platform';

/**
 * Alerting's own jobs (it also processes monitoring's `readings.evaluate`). Payloads carry ids
 * only (BullMQ stores job data in Redis in clear text); job ids never contain ':' (BullMQ docs, "Job Ids").
 */
export const ALERTING_JOBS = {
  /**
   * One organisation's `missed` rules, on a schedule of its own (`missed-check-{organizationId}`).
   * Idempotent: a retried or overlapping run raises no gap twice.
   */
  'alerts.missed-check': defineJob<{ organizationId: string }>({
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { age: 7 * 24 * 3600 },
  }),
  /** Gives every organisation its missed-check schedule and drops those of deleted ones; once per cluster. */
  'alerts.missed-reconcile': defineRecurringJob(),
  /**
   * Delayed until a pending crisis alert's deadline (job id `confirm-{alertId}`): opens it when
   * no re-measurement came. Idempotent: an alert no longer pending is left alone.
   */
  'alerts.confirm': defineJob<{ alertId: string; correlationId: string }>({
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  }),
  /**
   * PostgreSQL is the source of truth: confirms pending alerts past their deadline whose delayed
   * job was lost, and re-sends commands no broker took. Scheduled once per cluster.
   */
  'alerts.confirm-sweep': defineRecurringJob(),
};

@Injectable()
export class AlertingJobs extends JobQueue<typeof ALERTING_JOBS> {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(ALERTING_JOBS, redis, config.REDIS_PREFIX);
  }
}
