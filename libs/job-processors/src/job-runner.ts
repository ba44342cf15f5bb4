import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { AlertEvaluationService } from '@homeward/core';
import { JobWorkers, REDIS, type JobHandlers } from '@homeward/messaging';
import { InjectLogger, type Logger } from '@homeward/observability';

/** Runs the BullMQ processors and the outbox sweep of a worker process. */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private workers?: JobWorkers;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly evaluation: AlertEvaluationService,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const handlers: JobHandlers = {
      'readings.evaluate': async ({ batchId, correlationId }) => {
        await this.evaluation.evaluateBatch(batchId, correlationId);
      },
    };
    this.workers = new JobWorkers(
      this.redis,
      this.config.REDIS_PREFIX,
      this.logger.child({ component: 'jobs' }),
    );
    this.workers.start(handlers, 4);
    this.sweepTimer = setInterval(() => {
      this.evaluation
        .sweepPending(this.config.EVALUATION_SWEEP_AFTER_MS)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox sweep failed'));
    }, this.config.EVALUATION_SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.workers?.close();
  }
}
