import {
  CliUsageError,
  DEFAULT_INTERVAL_SECONDS,
  DEFAULT_PATIENTS,
  DEFAULT_RECEIPT_TIMEOUT_SECONDS,
  DEFAULT_SEED,
  PASSWORD_ENV,
  USAGE,
  parseCommandLine,
  parseScenarios,
  type SimulatorOptions,
} from './cli-options';
import { MALFORMED_KIND_NAMES } from './malformed';

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
      conditions: [],
      receiptTimeoutSeconds: DEFAULT_RECEIPT_TIMEOUT_SECONDS,
      drainTimeoutSeconds: 5,
      ble: false,
      malformedFraction: 0,
      malformedKinds: MALFORMED_KIND_NAMES,
      statusIntervalSeconds: undefined,
      hubOutage: undefined,
      json: false,
      reportEverySeconds: 30,
      logReceipts: false,
      load: undefined,
    });
  });

  it('waits for receipts by default and falls back to PUBACK-only with --no-receipts', () => {
    expect(options(['--devices-file', 'f', '--receipt-timeout', '7']).receiptTimeoutSeconds).toBe(7);
    expect(options(['--devices-file', 'f', '--no-receipts']).receiptTimeoutSeconds).toBeUndefined();
    expect(() =>
      parseCommandLine(['--devices-file', 'f', '--no-receipts', '--receipt-timeout', '7']),
    ).toThrow(CliUsageError);
  });

  it('reads conditions, BLE, malformed, status and hub outage options', () => {
    const parsed = options([
      '--devices-file',
      'f',
      '--conditions',
      'copd,diabetes',
      '--ble',
      '--malformed',
      '0.25',
      '--malformed-kinds',
      'invalid_json,oversize',
      '--status-interval',
      '60',
      '--hub-online',
      '120',
      '--hub-offline',
      '30',
    ]);
    expect(parsed).toMatchObject({
      conditions: ['copd', 'diabetes'],
      ble: true,
      malformedFraction: 0.25,
      malformedKinds: ['invalid_json', 'oversize'],
      statusIntervalSeconds: 60,
      hubOutage: { onlineSeconds: 120, offlineSeconds: 30 },
    });
    expect(options(['--devices-file', 'f', '--conditions', 'all']).conditions).toHaveLength(5);
  });

  it.each([
    [['--conditions', 'gout']],
    [['--malformed', '1.5']],
    [['--malformed-kinds', 'sneeze']],
    [['--hub-online', '10']],
    [['--load', '--rate', '100']],
    [['--rate', '100']],
    [['--load', '--rate', '100', '--duration', '5', '--count', '3']],
  ])('refuses %j', (args) => {
    expect(() => parseCommandLine(['--devices-file', 'f', ...args])).toThrow(CliUsageError);
  });

  it('reads load mode and sizes API provisioning to the devices asked for', () => {
    const parsed = options([
      '--api',
      'http://localhost:3000',
      '--email',
      'a@b.c',
      '--password',
      'pw',
      '--load',
      '--devices',
      '12',
      '--rate',
      '500',
      '--duration',
      '60',
    ]);
    expect(parsed.load).toEqual({ devices: 12, ratePerSecond: 500 });
    expect(parsed.durationSeconds).toBe(60);
    expect(parsed.source).toMatchObject({ kind: 'api', patients: 3 });
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
      kinds: ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer'],
    });
  });

  it('registers the kinds asked for with --api, and sizes load provisioning to them', () => {
    const api = ['--api', 'http://h', '--email', 'a@b.c', '--password', 'pw'];
    expect(options([...api, '--kinds', 'hub,scale']).source).toMatchObject({ kinds: ['hub', 'scale'] });
    expect(
      options([...api, '--kinds', 'hub', '--load', '--devices', '4', '--rate', '1', '--duration', '1'])
        .source,
    ).toMatchObject({ patients: 4 });
    expect(() => parseCommandLine([...api, '--kinds', 'toaster'])).toThrow(CliUsageError);
    expect(() => parseCommandLine(['--devices-file', 'f', '--kinds', 'hub'])).toThrow(CliUsageError);
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
