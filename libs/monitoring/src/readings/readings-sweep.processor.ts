import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { JobProcessor } from '@homeward/platform';
import { ReadingBatchService } from './reading-batch.service';
import { READING_JOBS, ReadingJobs } from './reading.jobs';

/** The outbox sweep: a BullMQ schedule, so it runs once per interval across all worker replicas. */
@Injectable()
export class ReadingsSweepProcessor
  extends JobProcessor<typeof READING_JOBS, 'readings.sweep'>
  implements OnApplicationBootstrap
{
  readonly name = 'readings.sweep';

  constructor(
    private readonly batches: ReadingBatchService,
    private readonly jobs: ReadingJobs,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('readings.sweep', this.config.EVALUATION_SWEEP_EVERY_MS, {});
  }

  async process(): Promise<void> {
    await this.batches.requeueUnevaluated(
      this.config.EVALUATION_SWEEP_AFTER_MS,
      this.config.EVALUATION_SWEEP_BATCH_LIMIT,
    );
  }
}
