import { parseArgs } from 'node:util';
import { DEVICE_KINDS, type DeviceKind } from '@homeward/contracts';
import { PROVISIONED_KINDS } from './api-client';
import { MALFORMED_KIND_NAMES, type MalformedKind } from './malformed';
import { CONDITIONS, isCondition, type Condition } from './physiology';
import { SCENARIO_NAMES, isScenarioName, type ScenarioName } from './scenarios';

export const DEFAULT_INTERVAL_SECONDS = 15;
export const DEFAULT_SEED = 'homeward';
export const DEFAULT_PATIENTS = 3;
export const DEFAULT_RECEIPT_TIMEOUT_SECONDS = 30;
export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 5;
export const DEFAULT_REPORT_EVERY_SECONDS = 30;
/** Read when --password is not given, so the password need not appear in the process list. */
export const PASSWORD_ENV = 'HOMEWARD_SIMULATOR_PASSWORD';

export type DeviceSource =
  | { kind: 'file'; path: string }
  | {
      kind: 'api';
      baseUrl: string;
      email: string;
      password: string;
      patients: number;
      /** Registered for each patient. */
      kinds: DeviceKind[];
    };

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
  /** Patients take these in turn; empty: the baseline model (no condition). */
  conditions: Condition[];
  /** Undefined with --no-receipts: a message leaves the outbox on PUBACK. */
  receiptTimeoutSeconds?: number;
  drainTimeoutSeconds: number;
  ble: boolean;
  malformedFraction: number;
  malformedKinds: MalformedKind[];
  statusIntervalSeconds?: number;
  /** Hub outages: online this long, then offline that long (both or neither). */
  hubOutage?: { onlineSeconds: number; offlineSeconds: number };
  /** The final summary as one JSON line instead of text. */
  json: boolean;
  /** A progress line this often; 0 for none. */
  reportEverySeconds: number;
  /** A debug line per receipt. */
  logReceipts: boolean;
  /** Load mode: paced publishing over `devices` devices at `ratePerSecond` for durationSeconds. */
  load?: { devices?: number; ratePerSecond: number };
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
  --kinds LIST          device kinds to register for each patient with --api, comma-separated
                        (default ${PROVISIONED_KINDS.join(',')}; e.g. hub)
  --mqtt-url URL        broker URL, overriding the file's or the API's

Readings:
  --interval SECONDS    mean time between a device's readings, jittered ±15% (default ${DEFAULT_INTERVAL_SECONDS});
                        the first reading is taken 0.2-2 s after start
  --seed TEXT           seed for baselines and noise; same seed, same readings (default "${DEFAULT_SEED}")
  --scenario NAME       repeatable or comma-separated: ${SCENARIO_NAMES.join(', ')} (default none)

Stopping (otherwise runs until SIGINT/SIGTERM):
  --count N             stop once every device has N readings acknowledged
  --duration SECONDS    stop after this long

Patients and devices:
  --conditions LIST     comma-separated, patients take them in turn: ${CONDITIONS.join(', ')}, or "all";
                        without it readings follow the baseline model, which stays below alert thresholds
  --ble                 publish measurements as raw Bluetooth LE characteristic values (v1/devices/{id}/ble)
  --status-interval S   publish a status message (battery, firmware, signal) every S seconds
  --hub-online S, --hub-offline S
                        hubs go offline for --hub-offline seconds after every --hub-online seconds,
                        buffer their readings and upload the backlog in batches of at most 500
  --malformed FRACTION  break this fraction (0-1) of messages deliberately, cycling through the kinds
  --malformed-kinds LIST  comma-separated subset of: ${MALFORMED_KIND_NAMES.join(', ')}

Delivery:
  --no-receipts         treat the PUBACK as the end of a message (platforms without receipts)
  --receipt-timeout S   republish a message with no receipt S seconds after its PUBACK (default ${DEFAULT_RECEIPT_TIMEOUT_SECONDS})
  --drain-timeout S     when stopping, wait up to S seconds for outstanding messages (default ${DEFAULT_DRAIN_TIMEOUT_SECONDS})

Load (for benchmarks; needs --rate and --duration):
  --load                paced publishing instead of the per-device schedule
  --devices N           use the first N devices (with --api: creates enough patients, 5 devices each)
  --rate R              measurements per second, all devices together

Output:
  --json                print the final summary as one JSON line (load mode always does)
  --report-every S      a progress line every S seconds (default ${DEFAULT_REPORT_EVERY_SECONDS}; 0: none)
  --log-receipts        a debug line per receipt
  --quiet               log warnings and errors only (JSON lines on stdout)
  -h, --help            show this help
`;

const OPTIONS = {
  'devices-file': { type: 'string' },
  api: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  patients: { type: 'string' },
  kinds: { type: 'string' },
  'mqtt-url': { type: 'string' },
  interval: { type: 'string' },
  seed: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  count: { type: 'string' },
  duration: { type: 'string' },
  quiet: { type: 'boolean' },
  conditions: { type: 'string', multiple: true },
  'no-receipts': { type: 'boolean' },
  'receipt-timeout': { type: 'string' },
  'drain-timeout': { type: 'string' },
  ble: { type: 'boolean' },
  malformed: { type: 'string' },
  'malformed-kinds': { type: 'string' },
  'status-interval': { type: 'string' },
  'hub-online': { type: 'string' },
  'hub-offline': { type: 'string' },
  json: { type: 'boolean' },
  'report-every': { type: 'string' },
  'log-receipts': { type: 'boolean' },
  load: { type: 'boolean' },
  devices: { type: 'string' },
  rate: { type: 'string' },
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

function list(raw: string | readonly string[] | undefined): string[] {
  const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function parseConditions(values: readonly string[]): Condition[] {
  const names = list(values);
  if (names.includes('all')) return [...CONDITIONS];
  return names.map((name) => {
    if (!isCondition(name))
      throw new CliUsageError(`unknown condition "${name}"; known: ${CONDITIONS.join(', ')}, all`);
    return name;
  });
}

export function parseMalformedKinds(raw: string | undefined): MalformedKind[] {
  if (raw === undefined) return [...MALFORMED_KIND_NAMES];
  const kinds = list(raw);
  for (const kind of kinds) {
    if (!(MALFORMED_KIND_NAMES as readonly string[]).includes(kind)) {
      throw new CliUsageError(`unknown malformed kind "${kind}"; known: ${MALFORMED_KIND_NAMES.join(', ')}`);
    }
  }
  if (kinds.length === 0) throw new CliUsageError('--malformed-kinds must name at least one kind');
  return kinds as MalformedKind[];
}

function fraction(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new CliUsageError(`--malformed must be a fraction from 0 to 1, got "${raw}"`);
  }
  return value;
}

function nonNegativeNumber(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new CliUsageError(`--${name} must be a number ≥ 0, got "${raw}"`);
  }
  return value;
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
    for (const name of ['email', 'password', 'patients', 'kinds'] as const) {
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
    const kinds = values.kinds === undefined ? [...PROVISIONED_KINDS] : list(values.kinds);
    for (const kind of kinds) {
      if (!(DEVICE_KINDS as readonly string[]).includes(kind)) {
        throw new CliUsageError(`unknown device kind "${kind}"; known: ${DEVICE_KINDS.join(', ')}`);
      }
    }
    if (kinds.length === 0) throw new CliUsageError('--kinds must name at least one kind');
    source = {
      kind: 'api',
      baseUrl: baseUrl.replace(/\/+$/, ''),
      email,
      password,
      patients,
      kinds: kinds as DeviceKind[],
    };
  }

  const mqttUrl = values['mqtt-url'];
  if (mqttUrl !== undefined && !/^(mqtts?|wss?|tcp):\/\//.test(mqttUrl)) {
    throw new CliUsageError(`--mqtt-url must be an mqtt://, mqtts://, ws:// or wss:// URL, got "${mqttUrl}"`);
  }
  const seed = values.seed ?? DEFAULT_SEED;
  if (seed === '') throw new CliUsageError('--seed must not be empty');

  if (values['no-receipts'] && values['receipt-timeout'] !== undefined) {
    throw new CliUsageError('--receipt-timeout does not apply with --no-receipts');
  }
  const hubOnline = positiveNumber(values['hub-online'], 'hub-online');
  const hubOffline = positiveNumber(values['hub-offline'], 'hub-offline');
  if ((hubOnline === undefined) !== (hubOffline === undefined)) {
    throw new CliUsageError('give both --hub-online and --hub-offline, or neither');
  }
  const durationSeconds = positiveNumber(values.duration, 'duration');
  const devices = positiveInteger(values.devices, 'devices', 100_000);
  const rate = positiveNumber(values.rate, 'rate');
  let load: SimulatorOptions['load'];
  if (values.load) {
    if (rate === undefined || durationSeconds === undefined) {
      throw new CliUsageError('--load needs --rate and --duration');
    }
    if (values.count !== undefined) throw new CliUsageError('--count does not apply with --load');
    load = { devices, ratePerSecond: rate };
  } else if (devices !== undefined || rate !== undefined) {
    throw new CliUsageError('--devices and --rate only apply with --load');
  }
  if (load?.devices !== undefined && source.kind === 'api' && values.patients === undefined) {
    source.patients = Math.ceil(load.devices / source.kinds.length);
  }

  return {
    help: false,
    source,
    mqttUrl,
    intervalSeconds: positiveNumber(values.interval, 'interval') ?? DEFAULT_INTERVAL_SECONDS,
    seed,
    scenarios: parseScenarios(values.scenario ?? []),
    count: positiveInteger(values.count, 'count', Number.MAX_SAFE_INTEGER),
    durationSeconds,
    quiet: values.quiet ?? false,
    conditions: parseConditions(values.conditions ?? []),
    receiptTimeoutSeconds: values['no-receipts']
      ? undefined
      : (positiveNumber(values['receipt-timeout'], 'receipt-timeout') ?? DEFAULT_RECEIPT_TIMEOUT_SECONDS),
    drainTimeoutSeconds:
      nonNegativeNumber(values['drain-timeout'], 'drain-timeout') ?? DEFAULT_DRAIN_TIMEOUT_SECONDS,
    ble: values.ble ?? false,
    malformedFraction: fraction(values.malformed),
    malformedKinds: parseMalformedKinds(values['malformed-kinds']),
    statusIntervalSeconds: positiveNumber(values['status-interval'], 'status-interval'),
    hubOutage:
      hubOnline !== undefined && hubOffline !== undefined
        ? { onlineSeconds: hubOnline, offlineSeconds: hubOffline }
        : undefined,
    json: values.json ?? false,
    reportEverySeconds:
      nonNegativeNumber(values['report-every'], 'report-every') ?? DEFAULT_REPORT_EVERY_SECONDS,
    logReceipts: values['log-receipts'] ?? false,
    load,
  };
}
