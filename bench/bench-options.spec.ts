import { BenchUsageError, FULL, QUICK, parseBenchOptions } from './bench-options';

describe('benchmark options', () => {
  it('runs every section at full size by default', () => {
    const options = parseBenchOptions([]);
    expect(options).toMatchObject({ ...FULL, scaleOut: false });
    expect(options.only).toEqual(['ceilings', 'throughput', 'alerts', 'console', 'queries', 'broker']);
  });

  it('takes the quick sizes and lets flags override them', () => {
    expect(parseBenchOptions(['--quick'])).toMatchObject(QUICK);
    expect(
      parseBenchOptions([
        '--quick',
        '--devices',
        '50,100',
        '--duration',
        '5',
        '--sockets',
        '200',
        '--scale-out',
      ]),
    ).toMatchObject({
      quick: true,
      consoleSockets: 200,
      devices: [50, 100],
      durationSeconds: 5,
      scaleOut: true,
    });
    expect(parseBenchOptions(['--only', 'alerts,console']).only).toEqual(['alerts', 'console']);
  });

  it('refuses what it does not understand', () => {
    expect(() => parseBenchOptions(['--devices', '10,x'])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(['--duration'])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(['--only', 'everything'])).toThrow('--only takes');
    expect(() => parseBenchOptions(['--fast'])).toThrow('unknown option --fast');
  });
});
