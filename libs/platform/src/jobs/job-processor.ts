import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobCatalog, JobName, JobPayload } from './job-catalog';
import type { JobQueue } from './job-queue';

/**
 * Runs one job of a catalogue. A domain provides its processors in the module that worker
 * processes load; the job runner finds them there. Handlers are idempotent: they re-read state,
 * do nothing when the work is done, and throw only for failures a retry can cure.
 */
export abstract class JobProcessor<C extends JobCatalog, N extends JobName<C>> {
  abstract readonly name: N;
  abstract process(data: JobPayload<C, N>, job: Job<JobPayload<C, N>>): Promise<void>;
}

/**
 * A job that runs once per interval across the whole cluster (sweeps, reconcilers): every
 * worker replica upserts the same BullMQ job scheduler at start-up, and BullMQ keeps one.
 */
export abstract class RecurringJobProcessor<C extends JobCatalog, N extends JobName<C>>
  extends JobProcessor<C, N>
  implements OnApplicationBootstrap
{
  constructor(
    private readonly queue: JobQueue<C>,
    private readonly everyMs: number,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule(this.name, this.everyMs, {} as JobPayload<C, N>);
  }
}
