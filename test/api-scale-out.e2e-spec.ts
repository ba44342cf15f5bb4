import type { MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { AlertDto } from '@homeward/contracts';
import {
  ApiClient,
  AppProcess,
  READY_LINES,
  TestStack,
  createOrganization,
  createUser,
  freePort,
  waitFor,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from './mqtt-helpers';

/**
 * Two API instances behind no sticky sessions: socket.io's Redis adapter carries every alert
 * event to the sockets of both, whichever process raised or changed the alert.
 */
describe('scale-out: two API instances, one alert stream (api x2, ingest, worker; PostgreSQL, Redis, Mosquitto)', () => {
  let stack: TestStack;
  let second: AppProcess;
  let secondUrl: string;
  let mqtt: MqttClient;
  let onFirst: ApiClient;
  let onSecond: ApiClient;
  const sockets: Socket[] = [];

  const listen = async (baseUrl: string, api: ApiClient) => {
    const events: Array<{ event: string; alert: AlertDto }> = [];
    const socket = io(`${baseUrl}/alerts`, {
      auth: { token: api.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    for (const event of ['alert.created', 'alert.updated'])
      socket.on(event, (alert: AlertDto) => events.push({ event, alert }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return events;
  };

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api', 'ingest', 'worker'] });
    const port = await freePort();
    second = new AppProcess('api', { ...stack.env(), PORT: String(port) });
    await second.start(READY_LINES.api);
    secondUrl = `http://127.0.0.1:${port}`;
    const organization = await createOrganization(stack.database.pool, 'Scale Org');
    const user = await createUser(stack.database.pool, organization, 'coordinator');
    onFirst = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    // The same user on the other instance: a token from one is good on the other.
    onSecond = new ApiClient(secondUrl, onFirst.accessToken);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await mqtt?.endAsync();
    await second?.stop();
    await stack?.stop();
  });

  it('delivers an alert raised once to consoles on either instance, and an action taken on one to both', async () => {
    const first = await listen(stack.apiUrl, onFirst);
    const other = await listen(secondUrl, onSecond);
    const patientId = (await onFirst.createPatient('Scale', 'Out')).id;
    const device = await onSecond.registerDevice(patientId, 'bp_cuff');
    mqtt = await connectDevice(stack.broker.url, device);

    await publishRaw(mqtt, device.id, bpMessage('grade2-1', 166, 92));
    const created = (events: typeof first) =>
      events.filter((e) => e.event === 'alert.created' && e.alert.patientId === patientId);
    await waitFor(() => created(first).length > 0 && created(other).length > 0, {
      what: 'the alert on both instances',
      timeoutMs: 15_000,
    });
    const [{ alert }] = created(first);
    expect(created(other).map((e) => e.alert.id)).toEqual([alert.id]);
    expect(created(first)).toHaveLength(1);

    const acknowledged = await onSecond.request<AlertDto>('POST', `/api/alerts/${alert.id}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    const updated = (events: typeof first) =>
      events.filter((e) => e.event === 'alert.updated' && e.alert.id === alert.id);
    await waitFor(() => updated(first).length > 0 && updated(other).length > 0, {
      what: 'the acknowledgement on both instances',
      timeoutMs: 10_000,
    });
    expect(updated(first).map((e) => e.alert.status)).toEqual(['acknowledged']);
    expect(updated(other).map((e) => e.alert.status)).toEqual(['acknowledged']);
  });
});
