import { brokerPersistenceRows, type BrokerPersistenceFigures } from './broker-persistence-rows';

const figures = (candidate: string, received: number, sessionPresent: boolean): BrokerPersistenceFigures => ({
  candidate,
  lines: ['persistence true'],
  steady: {
    messages: 20_000,
    messagesPerSecond: 14_000,
    cost: { cpuSecondsPer1000: 0.02, writtenBytesPer1000: 2 * 1024 ** 2 },
  },
  backlog: {
    messages: 20_000,
    intakePerSecond: 5_000,
    intakeSlicesPerSecond: [12_000, 9_000, 3_000],
    intakeCost: { cpuSecondsPer1000: 0.05, writtenBytesPer1000: 80 * 1024 ** 2 },
    drainPerSecond: 30_000,
    drainCost: { cpuSecondsPer1000: 0.01, writtenBytesPer1000: 0 },
  },
  crash: { queued: 20_000, received, sessionPresent },
});

describe('broker persistence rows', () => {
  const rows = brokerPersistenceRows([
    figures('every 1,000 changes', 19_100, true),
    figures('no persistence', 0, false),
  ]);
  const find = (candidate: string, figure: string) =>
    rows.find((row) => row.section === `broker persistence: ${candidate}` && row.figure.startsWith(figure));

  it('shows one section per candidate, judged against nothing', () => {
    expect(new Set(rows.map((row) => row.section)).size).toBe(2);
    expect(rows.every((row) => row.comparison.kind === 'none')).toBe(true);
  });

  it('shows whether intake falls as the backlog grows, from the first and last slices', () => {
    expect(find('every 1,000 changes', 'backlog intake, 20,000 queued')?.value).toBe(5_000);
    expect(find('every 1,000 changes', 'backlog intake, first 10%')?.value).toBe(12_000);
    expect(find('every 1,000 changes', 'backlog intake, last 10%')?.value).toBe(3_000);
  });

  it("reports the broker's writes in MiB per 1,000 messages", () => {
    expect(find('every 1,000 changes', 'steady: broker writes')).toMatchObject({ value: 2, unit: 'MiB' });
    expect(find('every 1,000 changes', 'backlog: broker writes')?.value).toBe(80);
  });

  it('counts what a SIGKILL lost, and says when the session itself was lost', () => {
    expect(find('every 1,000 changes', 'SIGKILL')).toMatchObject({
      figure: 'SIGKILL: lost of 20,000 queued',
      value: 900,
    });
    expect(find('no persistence', 'SIGKILL')).toMatchObject({
      figure: 'SIGKILL: lost of 20,000 queued (session lost)',
      value: 20_000,
    });
  });
});
