import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { JobQueue, REDIS, defineJob, defineRecurringJob } from '@homeward/platform';

/**
 * Monitoring's jobs. `readings.evaluate` is monitoring's announcement that a batch is stored;
 * whichever domain evaluates readings (alerting) provides its processor, so monitoring never
 * depends on it.
 */
export const READING_JOBS = {
  'readings.evaluate': defineJob<{
    batchId: string;
    correlationId: string;
    /**
     * The batch's patients, when the producer knew them (ingest does; the sweep does not): the
     * evaluator reads their rule sets beside the batch instead of after it. A hint only: the
     * stored readings say whose batch it is.
     */
    patientIds?: string[];
  }>({
    attempts: 10,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  }),
  /**
   * A registered device sent a value outside the plausibility limits: ingest refused it
   * (`implausible_value`) and recorded the rejection with the value and the patient; whichever
   * domain tells people about devices (alerting) raises its notice. Enqueued after the commit:
   * a lost job loses only the notice, never the rejection (the record of what was refused).
   */
  'readings.implausible': defineJob<{ rejectionId: string; correlationId: string }>({
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  }),
  /** Re-enqueues outbox batches whose evaluation job was lost; scheduled once per cluster. */
  'readings.sweep': defineRecurringJob(),
};

@Injectable()
export class ReadingJobs extends JobQueue<typeof READING_JOBS> {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(READING_JOBS, redis, config.REDIS_PREFIX);
  }
}
