import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import type { JobCatalog } from './job-catalog';
import { JobProcessor } from './job-processor';
import { JobQueue } from './job-queue';
import { REDIS } from './redis.module';

type AnyProcessor = JobProcessor<JobCatalog, string>;

/**
 * Starts a BullMQ worker for every job processor the process's modules provide. Start-up fails
 * when a queue some module provides has no processor (work enqueued that nothing would run) or
 * when two processors claim one job.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers: Worker[] = [];
  /** BullMQ does not close a connection it was given: these are ours to close. */
  private readonly connections: Redis[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const instances = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance) => instance !== null && typeof instance === 'object');
    const processors = new Map<string, AnyProcessor>();
    for (const instance of instances) {
      if (!(instance instanceof JobProcessor)) continue;
      const processor = instance as AnyProcessor;
      if (processors.has(processor.name)) throw new Error(`Two processors for job ${processor.name}`);
      processors.set(processor.name, processor);
    }
    const queued = new Set(
      instances.flatMap((instance) => (instance instanceof JobQueue ? instance.names : [])),
    );
    const missing = [...queued].filter((name) => !processors.has(name));
    if (missing.length > 0) throw new Error(`No processor for job(s): ${missing.join(', ')}`);

    for (const [name, processor] of processors) this.start(name, processor);
    this.logger.info({ jobs: [...processors.keys()] }, 'Job processors started');
  }

  private start(name: string, processor: AnyProcessor): void {
    const connection = this.redis.duplicate();
    this.connections.push(connection);
    const worker = new Worker(name, (job: Job) => processor.process(job.data, job), {
      connection,
      prefix: this.config.REDIS_PREFIX,
      concurrency: this.config.JOB_CONCURRENCY,
    });
    worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, job: name, jobId: job?.id, attempt: job?.attemptsMade }, 'Job failed'),
    );
    worker.on('error', (error) => this.logger.error({ err: error, job: name }, 'Worker error'));
    this.workers.push(worker);
  }

  /** Closes workers before anything else, letting running jobs finish. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all(
      this.connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
  }
}
