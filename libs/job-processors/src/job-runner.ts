import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { AlertEvaluationService } from '@homeward/core';
import { JOB_QUEUE, JobWorkers, REDIS, type JobHandlers, type JobQueue } from '@homeward/messaging';
import { InjectLogger, type Logger } from '@homeward/observability';

/** Runs the BullMQ processors of a worker process, and schedules the cluster-wide outbox sweep. */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private workers?: JobWorkers;

  constructor(
    private readonly config: AppConfig,
    private readonly evaluation: AlertEvaluationService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers: JobHandlers = {
      'readings.evaluate': async ({ batchId, correlationId }) => {
        await this.evaluation.evaluateBatch(batchId, correlationId);
      },
      'readings.sweep': async () => {
        await this.evaluation.sweepPending(this.config.EVALUATION_SWEEP_AFTER_MS);
      },
    };
    this.workers = new JobWorkers(
      this.redis,
      this.config.REDIS_PREFIX,
      this.logger.child({ component: 'jobs' }),
    );
    this.workers.start(handlers, 4);
    await this.jobs.schedule('readings.sweep', this.config.EVALUATION_SWEEP_EVERY_MS, {});
  }

  async onApplicationShutdown(): Promise<void> {
    await this.workers?.close();
  }
}
