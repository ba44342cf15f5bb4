import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  ApiClient,
  TEST_POSTGRES_URL,
  TestStack,
  createOrganization,
  createUser,
  freePort,
  waitFor,
} from '@homeward/testing';

/** A POST as mosquitto-go-auth's HTTP backend sends it (json params mode); resolves to the status. */
async function callback(baseUrl: string, check: 'user' | 'superuser' | 'acl', body: object): Promise<number> {
  const response = await fetch(`${baseUrl}/api/mqtt/auth/${check}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'mosquitto-2.0.18' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('API internal listeners: broker callbacks off the public port, metrics and health details on the ops port', () => {
  const serviceUser = 'homeward-service-test';
  const servicePassword = randomBytes(24).toString('base64url');
  let stack: TestStack;
  let authPort: number;
  let opsPort: number;
  let authUrl: string;
  let opsUrl: string;
  let deviceA: { id: string; secret: string };
  let deviceB: { id: string; secret: string };
  let api: ApiClient;

  beforeAll(async () => {
    [authPort, opsPort] = await Promise.all([freePort(), freePort()]);
    stack = await TestStack.start({
      apps: ['api'],
      // BROKER_AUTH_HOST is left unset: the callbacks must default to loopback.
      env: {
        BROKER_AUTH_PORT: String(authPort),
        OPS_PORT: String(opsPort),
        MQTT_USERNAME: serviceUser,
        MQTT_PASSWORD: servicePassword,
      },
    });
    authUrl = `http://127.0.0.1:${authPort}`;
    opsUrl = `http://127.0.0.1:${opsPort}`;
    const org = await createOrganization(stack.database.pool);
    const coordinator = await createUser(stack.database.pool, org, 'coordinator');
    api = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    const patient = await api.createPatient();
    deviceA = await api.registerDevice(patient.id, 'bp_cuff');
    deviceB = await api.registerDevice(patient.id, 'scale');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const asDevice = (device: { id: string; secret: string }, password = device.secret) => ({
    username: device.id,
    password,
    clientid: `device-${device.id}`,
  });
  const asService = (password = servicePassword, clientid = 'ingest-0') => ({
    username: serviceUser,
    password,
    clientid,
  });

  it('answers 404 on the public port for every broker callback, as for a route that does not exist', async () => {
    expect(await callback(stack.apiUrl, 'user', asDevice(deviceA))).toBe(404);
    expect(await callback(stack.apiUrl, 'user', asService())).toBe(404);
    expect(await callback(stack.apiUrl, 'superuser', { username: serviceUser })).toBe(404);
    expect(
      await callback(stack.apiUrl, 'acl', {
        username: deviceA.id,
        clientid: `device-${deviceA.id}`,
        topic: `v1/devices/${deviceA.id}/readings`,
        acc: 2,
      }),
    ).toBe(404);
    const bodyOf = async (path: string) =>
      (
        await fetch(`${stack.apiUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(asDevice(deviceA)),
        })
      ).json();
    expect(await bodyOf('/api/mqtt/auth/user')).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot POST /api/mqtt/auth/user',
      requestId: expect.any(String),
    });
    expect(await bodyOf('/api/mqtt/auth/nothing')).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot POST /api/mqtt/auth/nothing',
      requestId: expect.any(String),
    });
  });

  it('serves the callbacks only on the internal listener, which binds loopback by default and serves nothing else', async () => {
    expect(await callback(authUrl, 'user', asDevice(deviceA))).toBe(200);
    expect(stack.app('api').log).toMatch(/"host":"127\.0\.0\.1".*Broker authentication callbacks listening/);
    // 127.0.0.2 is loopback too, but a listener bound to 127.0.0.1 alone does not answer there.
    await expect(
      fetch(`http://127.0.0.2:${authPort}/api/mqtt/auth/user`, { method: 'POST' }),
    ).rejects.toThrow();
    const login = await fetch(`${authUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'x' }),
    });
    expect(login.status).toBe(404);
  });

  it('still accepts a device and the ingest service account after 40 anonymous wrong-password calls for each', async () => {
    for (let i = 0; i < 40; i++) {
      expect(await callback(authUrl, 'user', asDevice(deviceA, `guess-${i}`))).toBe(403);
      expect(await callback(authUrl, 'user', asService(`guess-${i}`))).toBe(403);
    }
    expect(await callback(authUrl, 'user', asDevice(deviceA))).toBe(200);
    expect(await callback(authUrl, 'user', asService())).toBe(200);
  });

  it('denies a device presenting the ingest client id or another device’s client id, even with its own secret', async () => {
    expect(await callback(authUrl, 'user', { ...asDevice(deviceA), clientid: 'ingest-0' })).toBe(403);
    expect(await callback(authUrl, 'user', { ...asDevice(deviceA), clientid: `device-${deviceB.id}` })).toBe(
      403,
    );
    expect(await callback(authUrl, 'user', { ...asDevice(deviceA), clientid: '' })).toBe(403);
    expect(await callback(authUrl, 'user', asDevice(deviceB))).toBe(200);
  });

  it('denies the service account a client id in the devices’ space', async () => {
    expect(await callback(authUrl, 'user', asService(servicePassword, `device-${deviceA.id}`))).toBe(403);
    expect(await callback(authUrl, 'user', asService(servicePassword, deviceA.id))).toBe(403);
    expect(await callback(authUrl, 'user', asService(servicePassword, 'ingest-1'))).toBe(200);
  });

  it('answers the superuser and topic checks with the device rules on the internal listener', async () => {
    expect(await callback(authUrl, 'superuser', { username: serviceUser })).toBe(200);
    expect(await callback(authUrl, 'superuser', { username: deviceA.id })).toBe(403);
    const acl = (topic: string, acc: number) =>
      callback(authUrl, 'acl', { username: deviceA.id, clientid: `device-${deviceA.id}`, topic, acc });
    expect(await acl(`v1/devices/${deviceA.id}/readings`, 2)).toBe(200);
    expect(await acl(`v1/devices/${deviceB.id}/readings`, 2)).toBe(403);
    expect(await acl(`v1/devices/${deviceA.id}/ble`, 2)).toBe(200);
    expect(await acl(`v1/devices/${deviceB.id}/ble`, 2)).toBe(403);
    expect(await acl(`v1/devices/${deviceA.id}/status`, 2)).toBe(200);
    expect(await acl(`v1/devices/${deviceB.id}/status`, 2)).toBe(403);
    expect(await acl(`v1/devices/${deviceA.id}/commands`, 2)).toBe(403);
    expect(await acl(`v1/devices/${deviceA.id}/receipts`, 4)).toBe(200);
    expect(await acl('v1/devices/+/readings', 4)).toBe(403);
  });

  it('answers EMQX 5 HTTP authentication with allow or deny in a 200 (a 4xx would read as "ignore"), giving a device its ACL', async () => {
    const emqx = async (path: 'authn' | 'authz', body: object, url = authUrl) => {
      const response = await fetch(`${url}/api/mqtt/emqx/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await emqx('authn', asDevice(deviceA))).toEqual({
      status: 200,
      body: {
        result: 'allow',
        is_superuser: false,
        acl: [
          { permission: 'allow', action: 'publish', topic: `v1/devices/${deviceA.id}/readings` },
          { permission: 'allow', action: 'publish', topic: `v1/devices/${deviceA.id}/ble` },
          { permission: 'allow', action: 'publish', topic: `v1/devices/${deviceA.id}/status` },
          { permission: 'allow', action: 'subscribe', topic: `v1/devices/${deviceA.id}/#` },
          { permission: 'deny', action: 'all', topic: '#' },
        ],
      },
    });
    expect(await emqx('authn', asDevice(deviceA, 'wrong'))).toEqual({
      status: 200,
      body: { result: 'deny' },
    });
    expect(await emqx('authn', { ...asDevice(deviceA), clientid: 'ingest-0' })).toEqual({
      status: 200,
      body: { result: 'deny' },
    });
    expect(await emqx('authn', asService())).toEqual({
      status: 200,
      body: { result: 'allow', is_superuser: true },
    });

    const authz = async (topic: string, action: string) =>
      (await emqx('authz', { username: deviceA.id, clientid: `device-${deviceA.id}`, topic, action })).body;
    expect(await authz(`v1/devices/${deviceA.id}/readings`, 'publish')).toEqual({ result: 'allow' });
    expect(await authz(`v1/devices/${deviceB.id}/readings`, 'publish')).toEqual({ result: 'deny' });
    expect(await authz(`v1/devices/${deviceA.id}/commands`, 'publish')).toEqual({ result: 'deny' });
    expect(await authz(`v1/devices/${deviceA.id}/receipts`, 'subscribe')).toEqual({ result: 'allow' });
    expect(await authz('#', 'subscribe')).toEqual({ result: 'deny' });
    expect(await authz(`v1/devices/${deviceB.id}/#`, 'subscribe')).toEqual({ result: 'deny' });
    // Not on the public port, like the go-auth callbacks.
    expect((await emqx('authn', asDevice(deviceA), stack.apiUrl)).status).toBe(404);
  });

  it('refuses a deactivated device and an old secret at once, and accepts the device again once reactivated', async () => {
    const device = await api.registerDevice((await api.createPatient()).id, 'thermometer');
    expect(await callback(authUrl, 'user', asDevice(device))).toBe(200);
    expect((await api.request('POST', `/api/devices/${device.id}/deactivate`, {})).status).toBe(200);
    expect(await callback(authUrl, 'user', asDevice(device))).toBe(403);
    expect((await api.request('POST', `/api/devices/${device.id}/reactivate`)).status).toBe(200);
    expect(await callback(authUrl, 'user', asDevice(device))).toBe(200);
    const rotated = await api.request<{ secret: string }>('POST', `/api/devices/${device.id}/rotate-secret`);
    expect(await callback(authUrl, 'user', asDevice(device))).toBe(403);
    expect(await callback(authUrl, 'user', asDevice({ id: device.id, secret: rotated.body.secret }))).toBe(
      200,
    );
  });

  it('serves Prometheus metrics on the ops port only, bound to loopback unless OPS_HOST opens it', async () => {
    // OPS_HOST is left unset: readiness with reasons must not answer on another address.
    await expect(fetch(`http://127.0.0.2:${opsPort}/health/ready`)).rejects.toThrow();
    const pub = await fetch(`${stack.apiUrl}/api/metrics`);
    expect(pub.status).toBe(404);
    expect(await pub.text()).not.toContain('nodejs_version_info');
    const ops = await fetch(`${opsUrl}/metrics`);
    expect(ops.status).toBe(200);
    expect(await ops.text()).toContain('nodejs_version_info');
    const ready = await fetch(`${opsUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, redis: { status: 'up' }, mqtt: { status: 'up' } },
    });
  });

  it('keeps public health answers to status words while PostgreSQL refuses connections; the ops port says why', async () => {
    const databaseName = new URL(stack.database.url).pathname.slice(1);
    const admin = new Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        databaseName,
      ]);
      const failing = await waitFor(
        async () => {
          const response = await fetch(`${stack.apiUrl}/api/health/ready`);
          return response.status === 503 ? await response.json() : undefined;
        },
        { what: 'readiness to report the database down', timeoutMs: 15_000 },
      );
      expect(failing).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      const words = new Set<unknown>();
      const collect = (value: unknown): void => {
        if (value && typeof value === 'object') Object.values(value).forEach(collect);
        else words.add(value);
      };
      // Besides the request id (what a support ticket quotes), status words only.
      const { requestId, ...statusOnly } = failing as { requestId?: unknown };
      expect(typeof requestId).toBe('string');
      collect(statusOnly);
      expect([...words].sort()).toEqual(['down', 'error', 'up']);
      expect(JSON.stringify(failing)).not.toContain(databaseName);
      const plain = await fetch(`${stack.apiUrl}/api/health`);
      expect(plain.status).toBe(503);
      expect(await plain.text()).not.toMatch(/accepting connections|message/);

      const ops = await fetch(`${opsUrl}/health/ready`);
      expect(ops.status).toBe(503);
      const details = (await ops.json()) as { details: { database: { status: string; message: string } } };
      expect(details.details.database).toEqual({
        status: 'down',
        message: expect.stringContaining('is not currently accepting connections'),
      });
      expect(stack.app('api').log).toContain('Readiness check failed');
    } finally {
      await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await waitFor(async () => (await fetch(`${stack.apiUrl}/api/health/ready`)).status === 200, {
      what: 'readiness to recover',
    });
  });
});
