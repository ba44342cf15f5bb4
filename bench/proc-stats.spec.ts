import { parseCpuSeconds, parsePeakRss } from './proc-stats';

describe('/proc parsing', () => {
  it('reads the peak resident set from status', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  183456 kB\nVmRSS:\t  170000 kB\n';
    expect(parsePeakRss(status)).toBe(183456 * 1024);
    expect(() => parsePeakRss('Name:\tnode\n')).toThrow('VmHWM');
  });

  it('adds user and system time from stat, whatever the command name holds', () => {
    const rest = 'S 1 2 3 4 5 6 7 8 9 10 1234 566 0 0 20 0 11 0 100 2000000 5000';
    expect(parseCpuSeconds(`4242 (node) ${rest}`)).toBeCloseTo(18);
    expect(parseCpuSeconds(`4242 (a (b) c) ${rest}`)).toBeCloseTo(18);
    expect(parseCpuSeconds(`4242 (node) ${rest}`, 250)).toBeCloseTo(7.2);
  });
});
