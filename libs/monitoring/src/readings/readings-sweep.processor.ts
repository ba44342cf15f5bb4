import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { RecurringJobProcessor } from '@homeward/platform';
import { ReadingBatchService } from './reading-batch.service';
import { READING_JOBS, ReadingJobs } from './reading.jobs';

/** The outbox sweep: a BullMQ schedule, so it runs once per interval across all worker replicas. */
@Injectable()
export class ReadingsSweepProcessor extends RecurringJobProcessor<typeof READING_JOBS, 'readings.sweep'> {
  readonly name = 'readings.sweep';

  constructor(
    private readonly batches: ReadingBatchService,
    jobs: ReadingJobs,
    private readonly config: AppConfig,
  ) {
    super(jobs, config.EVALUATION_SWEEP_EVERY_MS);
  }

  async process(): Promise<void> {
    await this.batches.requeueUnevaluated(
      this.config.EVALUATION_SWEEP_AFTER_MS,
      this.config.EVALUATION_SWEEP_BATCH_LIMIT,
    );
  }
}
