import { parseCpuSeconds, parseOpenFilesLimit, parsePeakRss, parseWriteBytes } from './proc-stats';

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

  it('reads the bytes written to storage from io', () => {
    const io =
      'rchar: 6976\nwchar: 100\nsyscr: 10\nsyscw: 2\nread_bytes: 0\nwrite_bytes: 409600\ncancelled_write_bytes: 4096\n';
    expect(parseWriteBytes(io)).toBe(409600);
    expect(() => parseWriteBytes('rchar: 1\n')).toThrow('write_bytes');
  });

  it('reads the soft open-files limit', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max processes             63671                63671                processes',
      'Max open files            20000                1048576              files',
    ].join('\n');
    expect(parseOpenFilesLimit(limits)).toBe(20000);
    expect(
      parseOpenFilesLimit('Max open files            unlimited            unlimited            files'),
    ).toBe(Number.POSITIVE_INFINITY);
  });
});
