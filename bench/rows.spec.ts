import { alertRows, ceilingRows, consoleRows, queryRows, throughputNotes, throughputRows } from './rows';
import type { ThroughputFigures } from './throughput';

const run = (devices: number, messagesPerSecond: number): ThroughputFigures => ({
  devices,
  connected: devices,
  targetRate: 25_000,
  achievedPublishRate: 25_000,
  windowSeconds: 60,
  messagesPerSecond,
  readingsPerSecond: messagesPerSecond * 2,
  batchesPerSecond: 20,
  evaluationLagSeconds: 0.4,
  batchesEvaluated: 100,
  batchesPending: 1,
  acknowledgedMessages: 1000,
  acknowledgedReadings: 2000,
  storedMessages: 1000,
  storedReadings: 1990,
  missingReadings: 10,
  unsettled: 0,
  dropped: 0,
  pubackP50Ms: 20,
  pubackP99Ms: 40,
  cost: [{ process: 'ingest-0', peakRssMiB: 300, cpuSeconds: 30, cpuSecondsPer1000Readings: 0.02 }],
});

describe('report rows', () => {
  it('judges ingest against the target, half the broker ceiling, and shows lost readings and growth', () => {
    const rows = throughputRows([run(1000, 18_000), run(2000, 24_000)], {
      copyRowsPerSecond: 200_000,
      mqttMessagesPerSecond: 40_000,
      bullmqJobsPerSecond: 5000,
    });
    const find = (section: string, figure: string) =>
      rows.find((row) => row.section === section && row.figure.startsWith(figure));
    expect(find('ingest, 1,000 devices', 'device messages/s')?.comparison).toEqual({
      kind: 'at-least',
      target: 20_000,
    });
    expect(find('ingest, 1,000 devices', 'messages/s vs ½')?.comparison).toEqual({
      kind: 'at-least',
      target: 20_000,
    });
    expect(find('ingest, 1,000 devices', 'readings lost')).toMatchObject({
      figure: 'readings lost (of 2,000 acknowledged)',
      value: 10,
      comparison: { kind: 'exactly', target: 0 },
    });
    expect(find('ingest, 1,000 devices', 'ingest-0 peak RSS')?.comparison).toEqual({
      kind: 'below',
      target: 256,
    });
    expect(find('ingest, 1,000 devices', 'messages/s at')).toBeUndefined();
    expect(find('ingest, 2,000 devices', 'messages/s at 2× devices vs 1×')?.comparison).toEqual({
      kind: 'ceiling',
      ceiling: 18_000,
      of: '1× = 1,000 devices',
    });
  });

  it('leaves ceilings and queries that were not measured as such, still with their targets', () => {
    expect(ceilingRows(undefined).every((row) => row.value === undefined)).toBe(true);
    expect(throughputRows([run(1000, 1)], undefined)[1].comparison).toEqual({
      kind: 'ceiling',
      ceiling: undefined,
      of: 'raw MQTT QoS 1',
    });
    const queries = queryRows(undefined);
    expect(queries).toHaveLength(7);
    expect(queries.filter((row) => row.comparison.kind === 'below')).toHaveLength(3);
    expect(queries.at(-1)).toMatchObject({ section: 'storage', value: undefined });
  });

  it('holds storage to 60 bytes a reading only on TimescaleDB, where compression applies', () => {
    const measured = (timescale: boolean) => ({
      patientChart30d: { p50Ms: 5, p95Ms: 8, readings: 10 },
      alertQueue5000: { p50Ms: 5, p95Ms: 8, readings: 10 },
      adherence30d1000: { p50Ms: 5, p95Ms: 8, readings: 10 },
      bytesPerReading: 290,
      timescale,
    });
    expect(queryRows(measured(true)).at(-1)?.comparison).toEqual({ kind: 'below', target: 60 });
    expect(queryRows(measured(false)).at(-1)).toMatchObject({ value: 290, comparison: { kind: 'none' } });
  });

  it('holds alert latency p50 and p99 to their targets and counts alerts that never came', () => {
    const rows = alertRows([
      {
        count: 9,
        p50Ms: 10,
        p95Ms: 20,
        p99Ms: 30,
        maxMs: 31,
        backgroundRate: 3000,
        achievedBackgroundRate: 2990,
        probesSent: 10,
        probesWithoutAlert: 1,
      },
    ]);
    expect(rows.map((row) => [row.figure, row.comparison])).toEqual([
      ['publish → alert.created p50', { kind: 'below', target: 15 }],
      ['p95', { kind: 'none' }],
      ['p99', { kind: 'below', target: 25 }],
      ['max', { kind: 'none' }],
      ['alerts not received (of 10)', { kind: 'exactly', target: 0 }],
    ]);
    expect(rows[0].section).toBe('alert latency, 3,000 msg/s background');
  });

  it('gives a run measured on its own the same rows as in the whole series, so rows can be printed as they come', () => {
    const series = [run(1000, 18_000), run(2000, 24_000)];
    const ceilings = { copyRowsPerSecond: 200_000, mqttMessagesPerSecond: 40_000, bullmqJobsPerSecond: 5000 };
    expect([
      ...throughputRows([series[0]], ceilings, series[0]),
      ...throughputRows([series[1]], ceilings, series[0]),
    ]).toEqual(throughputRows(series, ceilings));
  });

  it('notes when the load, not the platform, set the ingest figure', () => {
    expect(throughputNotes(run(1000, 18_000))).toEqual([]);
    const notes = throughputNotes({
      ...run(1000, 25_000),
      achievedPublishRate: 20_000,
      dropped: 3,
      unsettled: 2,
    });
    expect(notes).toHaveLength(4);
    expect(notes[0]).toContain('committed all 25000 msg/s asked');
    expect(notes[1]).toContain('published 20000 of 25000 msg/s');
  });

  it('names how many distinct coordinators held the console sockets and made the requests', () => {
    const latency = { count: 10, p50Ms: 5, p95Ms: 9, p99Ms: 10, maxMs: 11 };
    const rows = consoleRows(
      {
        socketsConnected: 200,
        socketUsers: 200,
        requestingUsers: 150,
        achievedBackgroundRate: 990,
        alertQueue: latency,
        patientChart: latency,
        failedRequests: 0,
      },
      1000,
    );
    expect(rows[0].section).toBe('console API, 200 sockets of 200 coordinators, 1,000 msg/s ingest');
    expect(rows.slice(0, 2).map((row) => [row.figure, row.value, row.comparison])).toEqual([
      ['distinct coordinators with a socket open', 200, { kind: 'exactly', target: 200 }],
      ['distinct coordinators requesting queue and chart', 150, { kind: 'none' }],
    ]);
  });
});
