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
   * Enqueues `name`, to run after `delayMs` if given; a job with the same `jobId` that still
   * exists is not added twice (BullMQ job ids may not contain ':').
   */
  async enqueue<N extends JobName<C>>(
    name: N,
    data: JobPayload<C, N>,
    jobId: string,
    delayMs?: number,
  ): Promise<void> {
    await this.queue(name).add(name, data, {
      ...this.catalog[name].options,
      jobId,
      ...(delayMs !== undefined && delayMs > 0 ? { delay: Math.round(delayMs) } : {}),
    });
  }

  /**
   * Removes a job that has not started; true when it removed one (BullMQ leaves a running,
   * locked job alone). An optimisation: the processor's own re-check is the guarantee.
   */
  async remove<N extends JobName<C>>(name: N, jobId: string): Promise<boolean> {
    return (await this.queue(name).remove(jobId)) === 1;
  }

  /**
   * Runs `name` every `everyMs` across the whole cluster: BullMQ keeps one scheduler per id, so
   * every worker replica may call this at start-up and the job still runs once per interval.
   * `schedulerId` (default: the job's name; no ':') tells several schedules of one job apart.
   */
  async schedule<N extends JobName<C>>(
    name: N,
    everyMs: number,
    data: JobPayload<C, N>,
    schedulerId: string = name,
  ): Promise<void> {
    if (schedulerId.includes(':')) throw new Error(`Scheduler id ${schedulerId} contains ':'`);
    await this.queue(name).upsertJobScheduler(
      schedulerId,
      { every: everyMs },
      { name, data, opts: this.catalog[name].options },
    );
  }

  /** `name`'s schedules: their ids and intervals. */
  async schedules<N extends JobName<C>>(name: N): Promise<Array<{ id: string; everyMs: number | null }>> {
    const schedulers = await this.queue(name).getJobSchedulers(0, -1);
    return schedulers.map((scheduler) => ({ id: scheduler.key, everyMs: scheduler.every ?? null }));
  }

  /** Stops a schedule; false when there was none. */
  async unschedule<N extends JobName<C>>(name: N, schedulerId: string): Promise<boolean> {
    return this.queue(name).removeJobScheduler(schedulerId);
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
