import type { Job } from 'bullmq';
import type { JobCatalog, JobName, JobPayload } from './job-catalog';

/**
 * Runs one job of a catalogue. A domain provides its processors in the module that worker
 * processes load; the job runner finds them there. Handlers are idempotent: they re-read state,
 * do nothing when the work is done, and throw only for failures a retry can cure.
 */
export abstract class JobProcessor<C extends JobCatalog, N extends JobName<C>> {
  abstract readonly name: N;
  abstract process(data: JobPayload<C, N>, job: Job<JobPayload<C, N>>): Promise<void>;
}
