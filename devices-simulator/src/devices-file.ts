import { DEVICE_KINDS, type DeviceKind } from '@homeward/contracts';

/** One device to simulate, however it was obtained (devices file or API registration). */
export interface DeviceConfig {
  id: string;
  secret: string;
  kind: DeviceKind;
  patientId: string;
  label?: string;
  /** Broker for this device; falls back to the file's mqttUrl and is overridden by --mqtt-url. */
  mqttUrl?: string;
  /**
   * The patient's own baseline, in catalogue units, instead of the seeded one: a seed that also
   * writes the patient's history (the demo) keeps the live readings continuous with it.
   */
  baseline?: PatientBaseline;
}

export const BASELINE_KEYS = ['systolic', 'diastolic', 'heartRate', 'weightKg', 'spo2'] as const;
export type PatientBaseline = Partial<Record<(typeof BASELINE_KEYS)[number], number>>;

export interface DevicesFile {
  mqttUrl?: string;
  devices: DeviceConfig[];
}

export class DevicesFileError extends Error {
  override readonly name = 'DevicesFileError';
}

const MQTT_URL = /^(mqtts?|wss?|tcp):\/\//;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && (DEVICE_KINDS as readonly string[]).includes(value);
}

function optionalMqttUrl(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !MQTT_URL.test(value)) {
    throw new DevicesFileError(`${where}: mqttUrl must be an mqtt://, mqtts://, ws:// or wss:// URL`);
  }
  return value;
}

function optionalBaseline(value: unknown, where: string): PatientBaseline | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new DevicesFileError(`${where}: baseline must be an object`);
  const baseline: PatientBaseline = {};
  for (const [key, number] of Object.entries(value)) {
    if (!(BASELINE_KEYS as readonly string[]).includes(key)) {
      throw new DevicesFileError(`${where}: baseline.${key} is not one of ${BASELINE_KEYS.join(', ')}`);
    }
    if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
      throw new DevicesFileError(`${where}: baseline.${key} must be a positive number`);
    }
    baseline[key as keyof PatientBaseline] = number;
  }
  return baseline;
}

function requiredString(record: Record<string, unknown>, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new DevicesFileError(`${where}: ${key} must be a non-empty string`);
  }
  return value;
}

/** Validates the parsed JSON of a devices file; throws DevicesFileError naming the first problem. */
export function parseDevicesFile(json: unknown): DevicesFile {
  if (!isRecord(json)) throw new DevicesFileError('devices file: expected a JSON object');
  const mqttUrl = optionalMqttUrl(json.mqttUrl, 'devices file');
  if (!Array.isArray(json.devices) || json.devices.length === 0) {
    throw new DevicesFileError('devices file: devices must be a non-empty array');
  }
  const seen = new Set<string>();
  const devices = json.devices.map((raw: unknown, index): DeviceConfig => {
    const where = `devices[${index}]`;
    if (!isRecord(raw)) throw new DevicesFileError(`${where}: expected an object`);
    const id = requiredString(raw, 'id', where);
    if (id.includes('/') || id.includes('+') || id.includes('#')) {
      throw new DevicesFileError(
        `${where}: id must not contain '/', '+' or '#' (it is part of the MQTT topic)`,
      );
    }
    if (seen.has(id)) throw new DevicesFileError(`${where}: duplicate device id ${id}`);
    seen.add(id);
    if (typeof raw.secret !== 'string') throw new DevicesFileError(`${where}: secret must be a string`);
    if (!isDeviceKind(raw.kind)) {
      throw new DevicesFileError(`${where}: kind must be one of ${DEVICE_KINDS.join(', ')}`);
    }
    if (raw.label !== undefined && typeof raw.label !== 'string') {
      throw new DevicesFileError(`${where}: label must be a string`);
    }
    return {
      id,
      secret: raw.secret,
      kind: raw.kind,
      patientId: requiredString(raw, 'patientId', where),
      label: raw.label,
      mqttUrl: optionalMqttUrl(raw.mqttUrl, where),
      baseline: optionalBaseline(raw.baseline, where),
    };
  });
  return { mqttUrl, devices };
}

export type ResolvedDevice = DeviceConfig & { mqttUrl: string };

/** Gives every device its broker: --mqtt-url, else the device's own, else the file's. */
export function resolveBrokerUrls(file: DevicesFile, override?: string): ResolvedDevice[] {
  return file.devices.map((device) => {
    const mqttUrl = override ?? device.mqttUrl ?? file.mqttUrl;
    if (!mqttUrl) throw new DevicesFileError(`device ${device.id} has no broker URL: pass --mqtt-url`);
    return { ...device, mqttUrl };
  });
}
