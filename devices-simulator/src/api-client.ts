import type { DeviceKind } from '@homeward/contracts';
import type { DeviceConfig, DevicesFile } from './devices-file';
import { createSeededRandom } from './seeded-random';

/** The part of global fetch the client uses, so tests can pass a stub. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** The kinds registered for every patient created through the API. */
export const PROVISIONED_KINDS: readonly DeviceKind[] = [
  'bp_cuff',
  'scale',
  'pulse_oximeter',
  'glucometer',
  'thermometer',
];

const REQUEST_TIMEOUT_MS = 10_000;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly responseBody: string,
  ) {
    super(`${method} ${path} failed with HTTP ${status}: ${responseBody.slice(0, 300)}`);
  }
}

export interface CreatedPatient {
  id: string;
  givenName: string;
  familyName: string;
}

export interface RegisteredDevice {
  id: string;
  secret: string;
  mqttUrl?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The few Homeward API calls the simulator needs. */
export class HomewardApiClient {
  private accessToken?: string;

  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: FetchLike = fetch,
  ) {}

  async login(email: string, password: string): Promise<void> {
    const body = await this.post('/api/auth/login', { email, password }, false);
    if (typeof body.accessToken !== 'string' || body.accessToken === '') {
      throw new Error('POST /api/auth/login: response has no accessToken');
    }
    this.accessToken = body.accessToken;
  }

  async createPatient(patient: {
    givenName: string;
    familyName: string;
    birthDate: string;
  }): Promise<CreatedPatient> {
    const body = await this.post('/api/patients', patient, true);
    if (typeof body.id !== 'string' || body.id === '')
      throw new Error('POST /api/patients: response has no id');
    return { id: body.id, givenName: patient.givenName, familyName: patient.familyName };
  }

  async registerDevice(patientId: string, kind: DeviceKind): Promise<RegisteredDevice> {
    const path = `/api/patients/${encodeURIComponent(patientId)}/devices`;
    const body = await this.post(path, { kind }, true);
    if (typeof body.id !== 'string' || body.id === '' || typeof body.secret !== 'string') {
      throw new Error(`POST ${path}: response needs id and secret`);
    }
    return {
      id: body.id,
      secret: body.secret,
      mqttUrl: typeof body.mqttUrl === 'string' && body.mqttUrl !== '' ? body.mqttUrl : undefined,
    };
  }

  private async post(
    path: string,
    payload: object,
    authenticated: boolean,
  ): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (authenticated) {
      if (!this.accessToken) throw new Error(`POST ${path}: log in first`);
      headers.authorization = `Bearer ${this.accessToken}`;
    }
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError('POST', path, response.status, text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`POST ${path}: response is not JSON`);
    }
    if (!isRecord(body)) throw new Error(`POST ${path}: response is not a JSON object`);
    return body;
  }
}

const GIVEN_NAMES = [
  'Ada',
  'Bruno',
  'Carmen',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Keiko',
  'Lars',
  'Maya',
  'Nils',
  'Olga',
  'Pedro',
];
const FAMILY_NAMES = [
  'Abbott',
  'Berg',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Gallo',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Novak',
  'Okafor',
  'Petrov',
];

/** A plausible remote-monitoring patient: an adult aged roughly 55 to 88. */
export function simulatedPatient(
  index: number,
  seed: string,
): { givenName: string; familyName: string; birthDate: string } {
  const rng = createSeededRandom(`${seed}|patient-name|${index}`);
  const year = 1938 + Math.floor(rng.uniform(0, 33));
  const month = 1 + Math.floor(rng.uniform(0, 12));
  const day = 1 + Math.floor(rng.uniform(0, 28));
  return {
    givenName: rng.pick(GIVEN_NAMES),
    familyName: rng.pick(FAMILY_NAMES),
    birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

export interface ProvisionOptions {
  baseUrl: string;
  email: string;
  password: string;
  patients: number;
  /** Varies the generated names between runs. */
  nameSeed: string;
  fetch?: FetchLike;
  /** Kinds registered for each patient (default PROVISIONED_KINDS). */
  kinds?: readonly DeviceKind[];
  onPatient?: (patient: CreatedPatient, devices: readonly DeviceConfig[]) => void;
}

/** Logs in, creates patients and registers `kinds` (default PROVISIONED_KINDS) for each, returning them as a devices file. */
export async function provisionDevices(options: ProvisionOptions): Promise<DevicesFile> {
  const api = new HomewardApiClient(options.baseUrl, options.fetch);
  await api.login(options.email, options.password);
  const devices: DeviceConfig[] = [];
  for (let i = 0; i < options.patients; i++) {
    const patient = await api.createPatient(simulatedPatient(i, options.nameSeed));
    const registered: DeviceConfig[] = [];
    for (const kind of options.kinds ?? PROVISIONED_KINDS) {
      const device = await api.registerDevice(patient.id, kind);
      registered.push({
        id: device.id,
        secret: device.secret,
        kind,
        patientId: patient.id,
        label: `${patient.givenName} ${patient.familyName} ${kind}`,
        mqttUrl: device.mqttUrl,
      });
    }
    devices.push(...registered);
    options.onPatient?.(patient, registered);
  }
  return { devices };
}
