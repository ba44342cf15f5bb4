import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, isScenarioName, type ScenarioName } from './scenarios';

export const DEFAULT_INTERVAL_SECONDS = 15;
export const DEFAULT_SEED = 'homeward';
export const DEFAULT_PATIENTS = 3;
/** Read when --password is not given, so the password need not appear in the process list. */
export const PASSWORD_ENV = 'HOMEWARD_SIMULATOR_PASSWORD';

export type DeviceSource =
  | { kind: 'file'; path: string }
  | { kind: 'api'; baseUrl: string; email: string; password: string; patients: number };

export interface SimulatorOptions {
  help: false;
  source: DeviceSource;
  mqttUrl?: string;
  intervalSeconds: number;
  seed: string;
  /** Empty for 'none'. */
  scenarios: ScenarioName[];
  count?: number;
  durationSeconds?: number;
  quiet: boolean;
}

export type CommandLine = { help: true } | SimulatorOptions;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const USAGE = `Usage: node dist/devices-simulator/src/main.js (--devices-file PATH | --api URL --email E [--password P]) [options]

Simulates Homeward home devices publishing readings over MQTT (device contract v1).

Devices:
  --devices-file PATH   JSON {"mqttUrl": "...", "devices": [{"id","secret","kind","patientId","label"?}]}
  --api URL             Homeward API base URL (e.g. http://localhost:3000): log in, create patients
                        and register a bp_cuff, scale, pulse_oximeter, glucometer and thermometer for each
  --email EMAIL         API login e-mail (with --api)
  --password PASSWORD   API login password (with --api; default: $${PASSWORD_ENV})
  --patients N          patients to create with --api (default ${DEFAULT_PATIENTS})
  --mqtt-url URL        broker URL, overriding the file's or the API's

Readings:
  --interval SECONDS    mean time between a device's readings, jittered ±15% (default ${DEFAULT_INTERVAL_SECONDS});
                        the first reading is taken 0.2-2 s after start
  --seed TEXT           seed for baselines and noise; same seed, same readings (default "${DEFAULT_SEED}")
  --scenario NAME       repeatable or comma-separated: ${SCENARIO_NAMES.join(', ')} (default none)

Stopping (otherwise runs until SIGINT/SIGTERM):
  --count N             stop once every device has N readings acknowledged
  --duration SECONDS    stop after this long

Output:
  --quiet               log warnings and errors only (JSON lines on stdout)
  -h, --help            show this help
`;

const OPTIONS = {
  'devices-file': { type: 'string' },
  api: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  patients: { type: 'string' },
  'mqtt-url': { type: 'string' },
  interval: { type: 'string' },
  seed: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  count: { type: 'string' },
  duration: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function positiveNumber(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new CliUsageError(`--${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

function positiveInteger(raw: string | undefined, name: string, max: number): number | undefined {
  const value = positiveNumber(raw, name);
  if (value !== undefined && (!Number.isInteger(value) || value > max)) {
    throw new CliUsageError(`--${name} must be a whole number from 1 to ${max}, got "${raw}"`);
  }
  return value;
}

/** Splits repeated and comma-separated --scenario values; 'none' alone means no scenario. */
export function parseScenarios(values: readonly string[]): ScenarioName[] {
  const names = new Set<ScenarioName>();
  for (const name of values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')) {
    if (!isScenarioName(name)) {
      throw new CliUsageError(`unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
    }
    if (name !== 'none') names.add(name);
  }
  return [...names];
}

/** Parses the command line (without the node and script arguments). Throws CliUsageError. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CommandLine {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error: unknown) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };

  const file = values['devices-file'];
  const api = values.api;
  if ((file === undefined) === (api === undefined)) {
    throw new CliUsageError('give exactly one of --devices-file or --api');
  }
  let source: DeviceSource;
  if (file !== undefined) {
    for (const name of ['email', 'password', 'patients'] as const) {
      if (values[name] !== undefined) throw new CliUsageError(`--${name} only applies with --api`);
    }
    source = { kind: 'file', path: file };
  } else {
    const baseUrl = api ?? '';
    if (!/^https?:\/\/[^/]/.test(baseUrl))
      throw new CliUsageError(`--api must be an http(s) URL, got "${baseUrl}"`);
    const email = values.email;
    const password = values.password ?? env[PASSWORD_ENV];
    if (!email) throw new CliUsageError('--api needs --email');
    if (!password) throw new CliUsageError(`--api needs --password (or ${PASSWORD_ENV})`);
    const patients = positiveInteger(values.patients, 'patients', 1000) ?? DEFAULT_PATIENTS;
    source = { kind: 'api', baseUrl: baseUrl.replace(/\/+$/, ''), email, password, patients };
  }

  const mqttUrl = values['mqtt-url'];
  if (mqttUrl !== undefined && !/^(mqtts?|wss?|tcp):\/\//.test(mqttUrl)) {
    throw new CliUsageError(`--mqtt-url must be an mqtt://, mqtts://, ws:// or wss:// URL, got "${mqttUrl}"`);
  }
  const seed = values.seed ?? DEFAULT_SEED;
  if (seed === '') throw new CliUsageError('--seed must not be empty');

  return {
    help: false,
    source,
    mqttUrl,
    intervalSeconds: positiveNumber(values.interval, 'interval') ?? DEFAULT_INTERVAL_SECONDS,
    seed,
    scenarios: parseScenarios(values.scenario ?? []),
    count: positiveInteger(values.count, 'count', Number.MAX_SAFE_INTEGER),
    durationSeconds: positiveNumber(values.duration, 'duration'),
    quiet: values.quiet ?? false,
  };
}
