import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; served at /metrics on its OPS_PORT. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const ingestMessages = new Counter({
  name: 'homeward_ingest_messages_total',
  help: 'Device messages handled by ingest, by outcome',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const ingestRejections = new Counter({
  name: 'homeward_ingest_rejections_total',
  help: 'Device messages ingest refused, by reason (each recorded in reading_rejections)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const ingestReceipts = new Counter({
  name: 'homeward_ingest_receipts_total',
  help: 'Receipts published to devices on v1/devices/{id}/receipts, by result (published: the broker acknowledged it)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const ingestBatchSeconds = new Histogram({
  name: 'homeward_ingest_batch_commit_seconds',
  help: 'Time to commit one ingest batch',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const alertsRaised = new Counter({
  name: 'homeward_alerts_raised_total',
  help: 'Alerts raised by the rule engine, by severity',
  labelNames: ['severity'] as const,
  registers: [metricsRegistry],
});

/** What an ingest path holds uncommitted; set by whichever path runs in the process. */
export interface IngestBacklog {
  held(): number;
  oldestHeldAgeMs(): number;
}

let ingestBacklog: IngestBacklog | undefined;

/** Points the backlog gauges at the process's ingest path (the MQTT consumer or the embedded broker). */
export function reportIngestBacklog(source: IngestBacklog): void {
  ingestBacklog = source;
}

/** Readiness: throws when the process's ingest path has held a message longer than `maxAgeMs`. */
export function assertIngestNotStuck(maxAgeMs: number): void {
  const ageMs = ingestBacklog?.oldestHeldAgeMs() ?? 0;
  if (ageMs > maxAgeMs)
    throw new Error(`stuck: the oldest uncommitted device message has waited ${Math.round(ageMs / 1000)} s`);
}

export const ingestHeldMessages = new Gauge({
  name: 'homeward_ingest_held_messages',
  help: 'Device messages received and not yet committed (their acknowledgement is held)',
  registers: [metricsRegistry],
  collect() {
    this.set(ingestBacklog?.held() ?? 0);
  },
});

export const ingestOldestHeldAge = new Gauge({
  name: 'homeward_ingest_oldest_held_message_age_seconds',
  help: 'Age of the oldest device message not yet committed; keeps growing when ingest is stuck',
  registers: [metricsRegistry],
  collect() {
    this.set((ingestBacklog?.oldestHeldAgeMs() ?? 0) / 1000);
  },
});
