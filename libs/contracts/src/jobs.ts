/**
 * Job catalogue: one map from queue name to payload, shared by producers and processors.
 * Jobs carry ids and a correlation id, never health data (Redis holds them in clear text).
 */
export interface JobPayloads {
  'readings.evaluate': { batchId: string; correlationId: string };
  /** Re-enqueues outbox batches whose evaluation job was lost; scheduled once per cluster. */
  'readings.sweep': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES: readonly JobName[] = ['readings.evaluate', 'readings.sweep'];
