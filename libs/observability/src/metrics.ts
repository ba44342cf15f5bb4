import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; served by the API at /api/metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const ingestMessages = new Counter({
  name: 'homeward_ingest_messages_total',
  help: 'Device messages handled by ingest, by outcome',
  labelNames: ['outcome'] as const,
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
