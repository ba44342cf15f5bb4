import type { AlertLatencyFigures } from './alert-latency';
import type { CeilingFigures } from './ceilings';
import type { ConsoleLoadFigures } from './console-load';
import type { QueryFigures, QueryName } from './queries';
import type { ReportRow } from './report';
import type { ThroughputFigures } from './throughput';

/** Issue 10's targets. */
export const TARGETS = {
  ingestMessagesPerSecond: 20_000,
  ingestShareOfBrokerCeiling: 0.5,
  evaluationLagSeconds: 2,
  alertP50Ms: 15,
  alertP99Ms: 25,
  queryP95Ms: 50,
  ingestPeakRssMiB: 256,
  consoleP95Ms: 100,
};

const count = (n: number) => n.toLocaleString('en');

/** Rows of `runs`; growth figures compare each run with `base` (the first run of the series). */
export function throughputRows(
  runs: readonly ThroughputFigures[],
  ceilings: CeilingFigures | undefined,
  base: ThroughputFigures | undefined = runs[0],
): ReportRow[] {
  return runs.flatMap((run) => {
    const section = `ingest, ${count(run.devices)} devices`;
    const growth = base && run !== base ? `${Math.round((run.devices / base.devices) * 10) / 10}×` : '1×';
    const rows: ReportRow[] = [
      {
        section,
        figure: 'device messages/s committed',
        value: run.messagesPerSecond,
        unit: 'msg/s',
        comparison: { kind: 'at-least', target: TARGETS.ingestMessagesPerSecond },
      },
      {
        section,
        figure: 'messages/s vs ½ raw MQTT QoS 1',
        value: run.messagesPerSecond,
        unit: 'msg/s',
        comparison: ceilings
          ? { kind: 'at-least', target: ceilings.mqttMessagesPerSecond * TARGETS.ingestShareOfBrokerCeiling }
          : { kind: 'ceiling', ceiling: undefined, of: 'raw MQTT QoS 1' },
      },
      {
        section,
        figure: 'messages/s vs raw MQTT QoS 1',
        value: run.messagesPerSecond,
        unit: 'msg/s',
        comparison: { kind: 'ceiling', ceiling: ceilings?.mqttMessagesPerSecond, of: 'raw MQTT QoS 1' },
      },
      {
        section,
        figure: 'readings/s vs COPY',
        value: run.readingsPerSecond,
        unit: 'rows/s',
        comparison: { kind: 'ceiling', ceiling: ceilings?.copyRowsPerSecond, of: 'COPY, no app' },
      },
      {
        section,
        figure: 'evaluation jobs/s vs BullMQ floor',
        value: run.batchesPerSecond,
        unit: 'jobs/s',
        comparison: { kind: 'ceiling', ceiling: ceilings?.bullmqJobsPerSecond, of: 'BullMQ add → process' },
      },
      {
        section,
        figure: 'rule evaluation lag at the end',
        value: run.evaluationLagSeconds,
        unit: 's',
        comparison: { kind: 'below', target: TARGETS.evaluationLagSeconds },
      },
      {
        section,
        figure: `readings lost (of ${count(run.acknowledgedReadings)} acknowledged)`,
        value: run.missingReadings,
        unit: '',
        comparison: { kind: 'exactly', target: 0 },
      },
      {
        section,
        figure: `publish → commit p99 (${growth} devices)`,
        value: run.pubackP99Ms,
        unit: 'ms',
        comparison: { kind: 'none' },
      },
    ];
    if (base && run !== base)
      rows.push({
        section,
        figure: `messages/s at ${growth} devices vs 1×`,
        value: run.messagesPerSecond,
        unit: 'msg/s',
        comparison: {
          kind: 'ceiling',
          ceiling: base.messagesPerSecond,
          of: `1× = ${count(base.devices)} devices`,
        },
      });
    for (const cost of run.cost) {
      if (cost.process.startsWith('ingest'))
        rows.push({
          section,
          figure: `${cost.process} peak RSS`,
          value: cost.peakRssMiB,
          unit: 'MiB',
          comparison: { kind: 'below', target: TARGETS.ingestPeakRssMiB },
        });
      rows.push({
        section,
        figure: `${cost.process} CPU s / 1,000 readings`,
        value: cost.cpuSecondsPer1000Readings,
        unit: 's',
        comparison: { kind: 'none' },
      });
    }
    return rows;
  });
}

/** What a reader of an ingest run's rows needs to know to read them right. */
export function throughputNotes(run: ThroughputFigures): string[] {
  const notes: string[] = [];
  if (run.messagesPerSecond >= run.targetRate * 0.95)
    notes.push(
      `ingest, ${run.devices} devices: committed all ${run.targetRate} msg/s asked, so the figure is the load, not the platform's limit (ask more with --rate).`,
    );
  if (run.achievedPublishRate < run.targetRate * 0.95)
    notes.push(
      `ingest, ${run.devices} devices: the simulator published ${Math.round(run.achievedPublishRate)} of ${run.targetRate} msg/s asked; the load generator (same machine) or back-pressure held it.`,
    );
  if (run.dropped > 0)
    notes.push(
      `ingest, ${run.devices} devices: ${run.dropped} measurements dropped by full device outboxes (never published, so not counted as lost).`,
    );
  if (run.unsettled > 0)
    notes.push(
      `ingest, ${run.devices} devices: ${run.unsettled} messages left without PUBACK after the drain.`,
    );
  return notes;
}

export function alertRows(runs: readonly AlertLatencyFigures[]): ReportRow[] {
  return runs.flatMap((run) => {
    const section = `alert latency, ${count(run.backgroundRate)} msg/s background`;
    const latency = (figure: string, value: number, target?: number): ReportRow => ({
      section,
      figure,
      value,
      unit: 'ms',
      comparison: target === undefined ? { kind: 'none' } : { kind: 'below', target },
    });
    return [
      latency('publish → alert.created p50', run.p50Ms, TARGETS.alertP50Ms),
      latency('p95', run.p95Ms),
      latency('p99', run.p99Ms, TARGETS.alertP99Ms),
      latency('max', run.maxMs),
      {
        section,
        figure: `alerts not received (of ${run.probesSent})`,
        value: run.probesWithoutAlert,
        unit: '',
        comparison: { kind: 'exactly', target: 0 },
      },
    ];
  });
}

export function consoleRows(run: ConsoleLoadFigures, backgroundRate: number): ReportRow[] {
  const section = `console API, ${run.socketsConnected} sockets of ${run.socketUsers} coordinators, ${count(backgroundRate)} msg/s ingest`;
  const target = { kind: 'below', target: TARGETS.consoleP95Ms } as const;
  return [
    {
      section,
      figure: 'distinct coordinators with a socket open',
      value: run.socketUsers,
      unit: '',
      comparison: { kind: 'exactly', target: run.socketsConnected },
    },
    {
      section,
      figure: 'distinct coordinators requesting queue and chart',
      value: run.requestingUsers,
      unit: '',
      comparison: { kind: 'none' },
    },
    {
      section,
      figure: 'alert queue p50',
      value: run.alertQueue.p50Ms,
      unit: 'ms',
      comparison: { kind: 'none' },
    },
    { section, figure: 'alert queue p95', value: run.alertQueue.p95Ms, unit: 'ms', comparison: target },
    {
      section,
      figure: 'patient chart p50',
      value: run.patientChart.p50Ms,
      unit: 'ms',
      comparison: { kind: 'none' },
    },
    { section, figure: 'patient chart p95', value: run.patientChart.p95Ms, unit: 'ms', comparison: target },
    {
      section,
      figure: 'failed requests',
      value: run.failedRequests,
      unit: '',
      comparison: { kind: 'exactly', target: 0 },
    },
  ];
}

export function ceilingRows(ceilings: CeilingFigures | undefined): ReportRow[] {
  const section = 'ceilings (no application)';
  return [
    { section, figure: 'COPY into readings', value: ceilings?.copyRowsPerSecond, unit: 'rows/s' },
    {
      section,
      figure: 'raw MQTT QoS 1 publish → subscribe',
      value: ceilings?.mqttMessagesPerSecond,
      unit: 'msg/s',
    },
    { section, figure: 'BullMQ add → process', value: ceilings?.bullmqJobsPerSecond, unit: 'jobs/s' },
  ].map((row) => ({ ...row, comparison: { kind: 'none' } }));
}

const QUERY_NAMES: Record<QueryName, string> = {
  patientChart30d: "a patient's 30-day chart, one type",
  alertQueue5000: 'alert queue, 5,000 patients',
  adherence30d1000: '30-day adherence, 1,000 patients',
};

export function queryRows(queries: QueryFigures | undefined): ReportRow[] {
  const rows = (Object.keys(QUERY_NAMES) as QueryName[]).flatMap((name): ReportRow[] => {
    const figures = queries?.[name];
    const section = `query: ${QUERY_NAMES[name]}`;
    return [
      { section, figure: 'p50', value: figures?.p50Ms, unit: 'ms', comparison: { kind: 'none' } },
      {
        section,
        figure: `p95${figures ? ` (${count(figures.readings)} readings stored)` : ''}`,
        value: figures?.p95Ms,
        unit: 'ms',
        comparison: { kind: 'below', target: TARGETS.queryP95Ms },
      },
    ];
  });
  // The 60-byte target is for compressed TimescaleDB chunks; plain PostgreSQL is reported as is.
  rows.push({
    section: 'storage',
    figure: queries?.timescale
      ? 'bytes per reading, compressed chunks (TimescaleDB)'
      : 'bytes per reading, table and indexes (plain PostgreSQL; the target is for TimescaleDB compression)',
    value: queries?.bytesPerReading,
    unit: 'B',
    comparison: queries?.timescale ? { kind: 'below', target: 60 } : { kind: 'none' },
  });
  return rows;
}
