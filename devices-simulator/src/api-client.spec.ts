import {
  ApiError,
  PROVISIONED_KINDS,
  provisionDevices,
  simulatedPatient,
  type FetchLike,
} from './api-client';

interface Call {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A stand-in for the Homeward API that records calls and answers like it. */
function fakeApi(options: { loginStatus?: number } = {}): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  let patients = 0;
  let devices = 0;
  const reply = (status: number, body: unknown) =>
    Promise.resolve({ ok: status < 400, status, text: () => Promise.resolve(JSON.stringify(body)) });
  const fetch: FetchLike = (url, init) => {
    const body: unknown = JSON.parse(init.body);
    calls.push({ url, headers: init.headers, body });
    const path = new URL(url).pathname;
    if (path === '/api/auth/login') {
      const status = options.loginStatus ?? 201;
      return status < 400
        ? reply(status, { accessToken: 'token-1' })
        : reply(status, { message: 'Unauthorized' });
    }
    if (init.headers.authorization !== 'Bearer token-1') return reply(401, { message: 'Unauthorized' });
    if (path === '/api/patients') return reply(201, { id: `patient-${++patients}`, ...(body as object) });
    const match = /^\/api\/patients\/([^/]+)\/devices$/.exec(path);
    if (match) {
      devices += 1;
      return reply(201, {
        id: `device-${devices}`,
        secret: `secret-${devices}`,
        mqttUrl: 'mqtt://broker:1883',
      });
    }
    return reply(404, { message: 'Not Found' });
  };
  return { fetch, calls };
}

describe('provisionDevices', () => {
  it('logs in, creates each patient and registers a BP cuff, a scale, an oximeter, a glucometer and a thermometer for each', async () => {
    const api = fakeApi();
    const file = await provisionDevices({
      baseUrl: 'http://localhost:3000',
      email: 'nurse@example.org',
      password: 'pw',
      patients: 2,
      nameSeed: 'spec',
      fetch: api.fetch,
    });

    expect(api.calls.map((c) => c.url)).toEqual([
      'http://localhost:3000/api/auth/login',
      'http://localhost:3000/api/patients',
      'http://localhost:3000/api/patients/patient-1/devices',
      'http://localhost:3000/api/patients/patient-1/devices',
      'http://localhost:3000/api/patients/patient-1/devices',
      'http://localhost:3000/api/patients/patient-1/devices',
      'http://localhost:3000/api/patients/patient-1/devices',
      'http://localhost:3000/api/patients',
      'http://localhost:3000/api/patients/patient-2/devices',
      'http://localhost:3000/api/patients/patient-2/devices',
      'http://localhost:3000/api/patients/patient-2/devices',
      'http://localhost:3000/api/patients/patient-2/devices',
      'http://localhost:3000/api/patients/patient-2/devices',
    ]);
    expect(api.calls[0]?.body).toEqual({ email: 'nurse@example.org', password: 'pw' });
    expect(api.calls[0]?.headers.authorization).toBeUndefined();
    expect(api.calls.slice(1).every((c) => c.headers.authorization === 'Bearer token-1')).toBe(true);
    expect(api.calls[1]?.body).toEqual(simulatedPatient(0, 'spec'));
    expect(api.calls.slice(2, 7).map((c) => c.body)).toEqual(
      ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer'].map((kind) => ({ kind })),
    );
    expect(PROVISIONED_KINDS).toHaveLength(5);

    expect(file.devices).toHaveLength(10);
    expect(file.devices[0]).toMatchObject({
      id: 'device-1',
      secret: 'secret-1',
      kind: 'bp_cuff',
      patientId: 'patient-1',
      mqttUrl: 'mqtt://broker:1883',
    });
    expect(file.devices.map((d) => d.patientId)).toEqual([
      ...Array<string>(5).fill('patient-1'),
      ...Array<string>(5).fill('patient-2'),
    ]);
  });

  it('stops with the status when the login is refused, without echoing the password', async () => {
    const api = fakeApi({ loginStatus: 401 });
    const attempt = provisionDevices({
      baseUrl: 'http://localhost:3000',
      email: 'nurse@example.org',
      password: 'very-secret',
      patients: 1,
      nameSeed: 'spec',
      fetch: api.fetch,
    });
    await expect(attempt).rejects.toBeInstanceOf(ApiError);
    await expect(attempt).rejects.toMatchObject({ status: 401, path: '/api/auth/login' });
    await expect(attempt).rejects.not.toThrow(/very-secret/);
    expect(api.calls).toHaveLength(1);
  });
});

describe('simulatedPatient', () => {
  it('creates an adult with a valid ISO birth date', () => {
    for (let i = 0; i < 50; i++) {
      const patient = simulatedPatient(i, 'spec');
      expect(patient.givenName).not.toBe('');
      expect(patient.familyName).not.toBe('');
      expect(patient.birthDate).toMatch(/^(19[3-7]\d)-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/);
      expect(new Date(`${patient.birthDate}T00:00:00Z`).toISOString().slice(0, 10)).toBe(patient.birthDate);
    }
  });
});
