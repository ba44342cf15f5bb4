import type { ReportRow } from './report';

/** What the broker process spent on a phase, per 1,000 messages. */
export interface BrokerCost {
  cpuSecondsPer1000: number;
  writtenBytesPer1000: number;
}

export interface BrokerPersistenceFigures {
  candidate: string;
  lines: readonly string[];
  steady: { messages: number; messagesPerSecond: number; cost: BrokerCost };
  backlog: {
    messages: number;
    /** Publishes acknowledged per second while the offline subscriber's queue grew, whole run. */
    intakePerSecond: number;
    /** The same per tenth of the backlog, first to last: whether intake falls as the queue grows. */
    intakeSlicesPerSecond: number[];
    intakeCost: BrokerCost;
    drainPerSecond: number;
    drainCost: BrokerCost;
  };
  crash: {
    /** Acknowledged to the publishers and queued for the offline subscriber at the SIGKILL. */
    queued: number;
    /** Of those, delivered to the subscriber after the restart. */
    received: number;
    sessionPresent: boolean;
  };
}

const count = (n: number) => Math.round(n).toLocaleString('en');

/** The figures as report rows, one section per candidate; none is judged against a target. */
export function brokerPersistenceRows(figures: readonly BrokerPersistenceFigures[]): ReportRow[] {
  return figures.flatMap((run) => {
    const section = `broker persistence: ${run.candidate}`;
    const { steady, backlog, crash } = run;
    const slices = backlog.intakeSlicesPerSecond;
    const rows: Omit<ReportRow, 'comparison'>[] = [
      {
        section,
        figure: 'steady QoS 1 → persistent session',
        value: steady.messagesPerSecond,
        unit: 'msg/s',
      },
      {
        section,
        figure: 'steady: broker CPU s / 1,000 msgs',
        value: steady.cost.cpuSecondsPer1000,
        unit: 's',
      },
      {
        section,
        figure: 'steady: broker writes / 1,000 msgs',
        value: steady.cost.writtenBytesPer1000 / 1024 ** 2,
        unit: 'MiB',
      },
      {
        section,
        figure: `backlog intake, ${count(backlog.messages)} queued`,
        value: backlog.intakePerSecond,
        unit: 'msg/s',
      },
      { section, figure: 'backlog intake, first 10%', value: slices[0], unit: 'msg/s' },
      { section, figure: 'backlog intake, last 10%', value: slices[slices.length - 1], unit: 'msg/s' },
      {
        section,
        figure: 'backlog: broker CPU s / 1,000 msgs',
        value: backlog.intakeCost.cpuSecondsPer1000,
        unit: 's',
      },
      {
        section,
        figure: 'backlog: broker writes / 1,000 msgs',
        value: backlog.intakeCost.writtenBytesPer1000 / 1024 ** 2,
        unit: 'MiB',
      },
      { section, figure: 'backlog drain', value: backlog.drainPerSecond, unit: 'msg/s' },
      {
        section,
        figure: 'drain: broker writes / 1,000 msgs',
        value: backlog.drainCost.writtenBytesPer1000 / 1024 ** 2,
        unit: 'MiB',
      },
      {
        section,
        figure: `SIGKILL: lost of ${count(crash.queued)} queued${crash.sessionPresent ? '' : ' (session lost)'}`,
        value: crash.queued - crash.received,
        unit: '',
      },
    ];
    return rows.map((row) => ({ ...row, comparison: { kind: 'none' } }));
  });
}
