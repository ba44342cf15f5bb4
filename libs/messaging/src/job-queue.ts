import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_NAMES, type JobName, type JobPayloads } from '@homeward/contracts';

/** Retries and retention declared with the queue, so every producer enqueues the same way. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  'readings.evaluate': {
    attempts: 10,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  // The next run comes soon enough: no retries, and little history.
  'readings.sweep': {
    attempts: 1,
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  },
};

/** BullMQ queue names may not contain ':'; the catalogue's `domain.verb` names are safe. */
export class JobQueue {
  private readonly queues = new Map<JobName, Queue>();

  constructor(connection: Redis, prefix: string) {
    for (const name of JOB_NAMES) this.queues.set(name, new Queue(name, { connection, prefix }));
  }

  /** Enqueues `name`; a job with the same `jobId` that still exists is not added twice. */
  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], jobId: string): Promise<void> {
    await this.queue(name).add(name, data, { ...JOB_OPTIONS[name], jobId });
  }

  /**
   * Runs `name` every `everyMs` across the whole cluster: BullMQ keeps one scheduler per id, so
   * every worker replica may call this at start-up and the job still runs once per interval.
   */
  async schedule<N extends JobName>(name: N, everyMs: number, data: JobPayloads[N]): Promise<void> {
    await this.queue(name).upsertJobScheduler(
      name,
      { every: everyMs },
      { name, data, opts: JOB_OPTIONS[name] },
    );
  }

  private queue(name: JobName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue for job ${name}`);
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
