import {
  CliUsageError,
  DEFAULT_INTERVAL_SECONDS,
  DEFAULT_PATIENTS,
  DEFAULT_SEED,
  PASSWORD_ENV,
  USAGE,
  parseCommandLine,
  parseScenarios,
  type SimulatorOptions,
} from './cli-options';

function options(argv: string[], env: NodeJS.ProcessEnv = {}): SimulatorOptions {
  const parsed = parseCommandLine(argv, env);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed;
}

describe('parseCommandLine', () => {
  it('reads a devices file with defaults for everything else', () => {
    expect(options(['--devices-file', '/tmp/devices.json'])).toEqual({
      help: false,
      source: { kind: 'file', path: '/tmp/devices.json' },
      mqttUrl: undefined,
      intervalSeconds: DEFAULT_INTERVAL_SECONDS,
      seed: DEFAULT_SEED,
      scenarios: [],
      count: undefined,
      durationSeconds: undefined,
      quiet: false,
    });
  });

  it('reads API provisioning, trimming a trailing slash', () => {
    const parsed = options([
      '--api',
      'http://localhost:3000/',
      '--email',
      'a@b.c',
      '--password',
      'pw',
      '--patients',
      '5',
    ]);
    expect(parsed.source).toEqual({
      kind: 'api',
      baseUrl: 'http://localhost:3000',
      email: 'a@b.c',
      password: 'pw',
      patients: 5,
    });
  });

  it('takes the API password from the environment and defaults the patient count', () => {
    const parsed = options(['--api', 'http://localhost:3000', '--email', 'a@b.c'], {
      [PASSWORD_ENV]: 'from-env',
    });
    expect(parsed.source).toMatchObject({ password: 'from-env', patients: DEFAULT_PATIENTS });
  });

  it('reads the run options', () => {
    const parsed = options([
      '--devices-file=d.json',
      '--mqtt-url',
      'mqtt://127.0.0.1:1883',
      '--interval',
      '0.5',
      '--seed',
      'demo-7',
      '--count',
      '3',
      '--duration',
      '90',
      '--quiet',
    ]);
    expect(parsed).toMatchObject({
      mqttUrl: 'mqtt://127.0.0.1:1883',
      intervalSeconds: 0.5,
      seed: 'demo-7',
      count: 3,
      durationSeconds: 90,
      quiet: true,
    });
  });

  it('accepts scenarios repeated and comma-separated, without duplicates', () => {
    const parsed = options([
      '--devices-file',
      'd.json',
      '--scenario',
      'hypertensive-crisis,hypoxia',
      '--scenario',
      'weight-gain',
      '--scenario',
      'hypoxia',
    ]);
    expect(parsed.scenarios).toEqual(['hypertensive-crisis', 'hypoxia', 'weight-gain']);
  });

  it('returns help without checking anything else', () => {
    expect(parseCommandLine(['--help'])).toEqual({ help: true });
    expect(parseCommandLine(['-h', '--count', 'nonsense'])).toEqual({ help: true });
    expect(USAGE).toContain('--devices-file');
    expect(USAGE).toContain('hypertensive-crisis');
  });

  it.each([
    [[], /exactly one of --devices-file or --api/],
    [['--devices-file', 'd.json', '--api', 'http://x'], /exactly one/],
    [['--api', 'http://x', '--password', 'p'], /needs --email/],
    [['--api', 'http://x', '--email', 'e'], /needs --password/],
    [['--api', 'localhost:3000', '--email', 'e', '--password', 'p'], /http\(s\) URL/],
    [['--devices-file', 'd.json', '--email', 'e'], /only applies with --api/],
    [['--devices-file', 'd.json', '--interval', '0'], /positive number/],
    [['--devices-file', 'd.json', '--interval', 'soon'], /positive number/],
    [['--devices-file', 'd.json', '--count', '2.5'], /whole number/],
    [['--api', 'http://x', '--email', 'e', '--password', 'p', '--patients', '0'], /positive number/],
    [['--devices-file', 'd.json', '--mqtt-url', 'http://broker'], /mqtt:\/\//],
    [['--devices-file', 'd.json', '--scenario', 'stroke'], /unknown scenario "stroke"/],
    [['--devices-file', 'd.json', '--verbose'], /verbose/],
    [['--devices-file', 'd.json', 'extra'], /extra/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(CliUsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

describe('parseScenarios', () => {
  it("treats 'none' as no scenario", () => {
    expect(parseScenarios(['none'])).toEqual([]);
    expect(parseScenarios(['none,hypoxia'])).toEqual(['hypoxia']);
    expect(parseScenarios([' hypoxia , '])).toEqual(['hypoxia']);
  });
});
