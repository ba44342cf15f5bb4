import { type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobCatalog, JobName, JobPayload } from './job-catalog';

/**
 * The producer side of one domain's catalogue: a BullMQ queue per job. A domain provides it
 * as a class of its own (`class ReadingJobs extends JobQueue<typeof READING_JOBS>`), and the
 * job runner requires a processor for every job of every queue class it finds.
 */
export class JobQueue<C extends JobCatalog> implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    readonly catalog: C,
    connection: Redis,
    prefix: string,
  ) {
    for (const name of Object.keys(catalog)) this.queues.set(name, new Queue(name, { connection, prefix }));
  }

  get names(): Array<JobName<C>> {
    return Object.keys(this.catalog);
  }

  /**
   * Enqueues `name`; a job with the same `jobId` that still exists is not added twice.
   * `delayMs`: runs no earlier than that (a deadline that depends on configuration).
   */
  async enqueue<N extends JobName<C>>(
    name: N,
    data: JobPayload<C, N>,
    jobId: string,
    options: { delayMs?: number } = {},
  ): Promise<void> {
    await this.queue(name).add(name, data, {
      ...this.catalog[name].options,
      jobId,
      ...(options.delayMs ? { delay: options.delayMs } : {}),
    });
  }

  /**
   * Runs `name` every `everyMs` across the whole cluster: BullMQ keeps one scheduler per id, so
   * every worker replica may call this at start-up and the job still runs once per interval.
   */
  async schedule<N extends JobName<C>>(name: N, everyMs: number, data: JobPayload<C, N>): Promise<void> {
    await this.queue(name).upsertJobScheduler(
      name,
      { every: everyMs },
      { name, data, opts: this.catalog[name].options },
    );
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue for job ${name}`);
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
