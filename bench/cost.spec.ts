import { processCost } from './cost';

describe('process cost', () => {
  it('charges the CPU spent in the window to the readings stored in it', () => {
    const start = { peakRssBytes: 100 * 1024 * 1024, cpuSeconds: 10 };
    const end = { peakRssBytes: 180.04 * 1024 * 1024, cpuSeconds: 40 };
    expect(processCost('ingest-0', start, end, 600_000)).toEqual({
      process: 'ingest-0',
      peakRssMiB: 180,
      cpuSeconds: 30,
      cpuSecondsPer1000Readings: 0.05,
    });
    expect(processCost('api-0', start, end, 0).cpuSecondsPer1000Readings).toBeNaN();
  });
});
