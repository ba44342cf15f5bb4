import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { JOB_NAMES, type JobName, type JobPayloads } from '@homeward/contracts';

export type JobHandlers = {
  [N in JobName]: (data: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<void>;
};

/**
 * One BullMQ worker per job in the catalogue. Start-up fails when a job has no handler, so a
 * producer can never enqueue work that nothing will run.
 */
export class JobWorkers {
  private readonly workers: Worker[] = [];
  /** BullMQ does not close a connection it was given: these are ours to close. */
  private readonly connections: Redis[] = [];

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  start(handlers: Partial<JobHandlers>, concurrency: number): void {
    const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
    if (missing.length > 0) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
    for (const name of JOB_NAMES) {
      const handle = handlers[name] as (data: unknown, job: Job) => Promise<void>;
      const connection = this.connection.duplicate();
      this.connections.push(connection);
      const worker = new Worker(name, (job) => handle(job.data, job), {
        connection,
        prefix: this.prefix,
        concurrency,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn({ err: error, job: name, jobId: job?.id, attempt: job?.attemptsMade }, 'Job failed'),
      );
      worker.on('error', (error) => this.logger.error({ err: error, job: name }, 'Worker error'));
      this.workers.push(worker);
    }
  }

  /** Closes workers before anything else, letting running jobs finish. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all(
      this.connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
  }
}
