import type { JobsOptions } from 'bullmq';

/**
 * One job of a domain's catalogue: its retries and retention, declared where the queue is, and
 * its payload type, which producer and processor share so a wrong payload fails to compile.
 * Payloads carry ids and a correlation id, never health data (Redis holds them in clear text).
 */
export interface JobDefinition<Payload> {
  readonly options: JobsOptions;
  /** Type-only: never set. */
  readonly payload?: Payload;
}

export function defineJob<Payload>(options: JobsOptions): JobDefinition<Payload> {
  return { options };
}

/** A domain's jobs by name; names read `domain.verb` (BullMQ queue names may not contain ':'). */
export type JobCatalog = Record<string, JobDefinition<unknown>>;

export type JobName<C extends JobCatalog> = keyof C & string;

export type JobPayload<C extends JobCatalog, N extends JobName<C>> =
  C[N] extends JobDefinition<infer Payload> ? Payload : never;

/**
 * A recurring job (a sweep, a reconcile) that carries nothing: the next run comes soon enough,
 * so no retries and little history.
 */
export function defineRecurringJob(): JobDefinition<Record<string, never>> {
  return defineJob<Record<string, never>>({
    attempts: 1,
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  });
}
