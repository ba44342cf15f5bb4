import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { ApiClient, TestStack, createOrganization, createUser, freePort, waitFor } from '@homeward/testing';
import { connectDevice, publishRaw } from './mqtt-helpers';

interface Rejection {
  id: string;
  deviceId: string;
  messageId: string | null;
  reason: string;
  detail: string;
  payloadBytes: number;
  payloadExcerpt: string;
}

/** What ingest refused, for the admins of the organisation whose devices sent it, and counted per reason. */
describe('GET /api/ingest/rejections and the rejection metric (api and ingest processes; PostgreSQL, Mosquitto)', () => {
  let stack: TestStack;
  let opsPort: number;
  let admin: ApiClient;
  let coordinator: ApiClient;
  let otherAdmin: ApiClient;
  let device: { id: string; secret: string };
  let mqtt: MqttClient;

  const login = async (organization: string, role: 'admin' | 'coordinator') => {
    const user = await createUser(stack.database.pool, organization, role);
    return new ApiClient(stack.apiUrl).login(user.email, user.password);
  };

  beforeAll(async () => {
    opsPort = await freePort();
    stack = await TestStack.start({
      apps: ['api', 'ingest'],
      appEnv: { ingest: { OPS_PORT: String(opsPort) } },
    });
    const organization = await createOrganization(stack.database.pool, 'Rejections Org');
    admin = await login(organization, 'admin');
    coordinator = await login(organization, 'coordinator');
    otherAdmin = await login(await createOrganization(stack.database.pool, 'Other Org'), 'admin');
    const patient = await coordinator.createPatient('Reject', 'Ed');
    device = await coordinator.registerDevice(patient.id, 'bp_cuff');
    mqtt = await connectDevice(stack.broker.url, device);

    const at = new Date(Date.now() - 60_000).toISOString();
    await publishRaw(mqtt, device.id, '{"messageId":"broken-1", "measuredAt":');
    await publishRaw(
      mqtt,
      device.id,
      JSON.stringify({
        messageId: 'implausible-1',
        measuredAt: at,
        readings: [{ type: 'heart_rate', value: 900, unit: '/min' }],
      }),
    );
    // A topic naming no registered device belongs to no organisation.
    await publishRaw(
      mqtt,
      device.id,
      JSON.stringify({
        messageId: 'stranger-1',
        measuredAt: at,
        readings: [{ type: 'heart_rate', value: 70, unit: '/min' }],
      }),
      `v1/devices/${randomUUID()}/readings`,
    );
    await waitFor(
      async () =>
        Number((await stack.database.pool.query('SELECT count(*) FROM reading_rejections')).rows[0].count) >=
        2,
      { what: 'the rejections recorded', timeoutMs: 10_000 },
    );
  });

  afterAll(async () => {
    await mqtt?.endAsync();
    await stack?.stop();
  });

  it("lists an organisation's rejections for its admins, newest first, with the reason, the detail and the payload", async () => {
    const response = await admin.request<{ items: Rejection[] }>('GET', '/api/ingest/rejections');
    expect(response.status).toBe(200);
    expect(response.body.items.map((r) => [r.reason, r.messageId, r.deviceId])).toEqual([
      ['implausible_value', 'implausible-1', device.id],
      ['invalid_json', null, device.id],
    ]);
    const [implausible, broken] = response.body.items;
    expect(implausible.detail).toMatch(/heart_rate/);
    expect(broken.payloadExcerpt).toBe('{"messageId":"broken-1", "measuredAt":');
    expect(broken.payloadBytes).toBe(Buffer.byteLength(broken.payloadExcerpt));

    const byReason = await admin.request<{ items: Rejection[] }>(
      'GET',
      '/api/ingest/rejections?reason=invalid_json',
    );
    expect(byReason.body.items.map((r) => r.reason)).toEqual(['invalid_json']);
    const page = await admin.request<{ items: Rejection[] }>(
      'GET',
      `/api/ingest/rejections?limit=1&beforeId=${implausible.id}`,
    );
    expect(page.body.items.map((r) => r.id)).toEqual([broken.id]);
    const audited = await stack.database.pool.query(
      "SELECT 1 FROM audit_events WHERE action = 'ingest.rejections.read'",
    );
    expect(audited.rowCount).toBe(3);
  });

  it('keeps them from coordinators and from other organisations, and refuses bad filters', async () => {
    expect((await coordinator.request('GET', '/api/ingest/rejections')).status).toBe(403);
    const other = await otherAdmin.request<{ items: Rejection[] }>('GET', '/api/ingest/rejections');
    expect(other.body.items).toEqual([]);
    expect((await admin.request('GET', '/api/ingest/rejections?reason=bogus')).status).toBe(400);
    expect((await admin.request('GET', '/api/ingest/rejections?deviceId=not-a-uuid')).status).toBe(400);
    expect((await admin.request('GET', '/api/ingest/rejections?limit=501')).status).toBe(400);
  });

  it('counts rejections per reason in the ingest metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    const count = (reason: string) =>
      Number(
        new RegExp(`^homeward_ingest_rejections_total\\{reason="${reason}"\\} (\\S+)$`, 'm').exec(text)?.[1],
      );
    expect(count('invalid_json')).toBe(1);
    expect(count('implausible_value')).toBe(1);
    expect(count('unknown_device')).toBe(1);
  });
});
