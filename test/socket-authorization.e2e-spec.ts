import type { MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { AlertDto, UserRole } from '@homeward/contracts';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  sleep,
  waitFor,
  type TestUser,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from './mqtt-helpers';

interface Received {
  event: string;
  payload: unknown[];
}

describe('alert socket authorisation: outsiders receive none of a patient’s alerts, a disabled user’s socket closes', () => {
  let stack: TestStack;
  let mqtt: MqttClient;
  let device: { id: string; secret: string; mqttUrl: string };
  let patientId: string;
  let coordinatorA: ApiClient;
  let adminA: ApiClient;
  let clinicianA: TestUser;
  const outsiders = {} as Record<UserRole, TestUser>;
  const sockets: Socket[] = [];

  /** Opens an alert socket recording every event it receives. */
  async function listen(user: TestUser, lastSequence?: number) {
    const api = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    const received: Received[] = [];
    const socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token: api.accessToken, ...(lastSequence === undefined ? {} : { lastSequence }) },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    socket.onAny((event: string, ...payload: unknown[]) => received.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, received };
  }

  /** Events that mention A's patient, device or alerts. */
  const aboutA = (received: Received[], alertIds: string[]) =>
    received.filter(({ payload }) => {
      const text = JSON.stringify(payload);
      return [patientId, device.id, ...alertIds].some((id) => text.includes(id));
    });

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api', 'ingest', 'worker'],
      env: { LOGIN_RATE_LIMIT: '1000000' },
    });
    const pool = stack.database.pool;
    const orgA = await createOrganization(pool, 'Org A');
    const orgB = await createOrganization(pool, 'Org B');
    const coordinator = await createUser(pool, orgA, 'coordinator');
    const admin = await createUser(pool, orgA, 'admin');
    clinicianA = await createUser(pool, orgA, 'clinician');
    for (const role of ['admin', 'coordinator', 'clinician'] as const)
      outsiders[role] = await createUser(pool, orgB, role);
    coordinatorA = await new ApiClient(stack.apiUrl).login(coordinator.email, coordinator.password);
    adminA = await new ApiClient(stack.apiUrl).login(admin.email, admin.password);
    patientId = (await coordinatorA.createPatient('Maria', 'Alvarez')).id;
    device = await coordinatorA.registerDevice(patientId, 'bp_cuff');
    mqtt = await connectDevice(stack.broker.url, device);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await mqtt?.endAsync();
    await stack?.stop();
  });

  it('pushes A’s alert to A only, before and after a reconnect, for every role of another organisation', async () => {
    // A same-organisation user outside the patient's care team joins this list when care teams exist.
    const others = await Promise.all(Object.values(outsiders).map((user) => listen(user)));
    const control = await listen(clinicianA);

    await publishRaw(mqtt, device.id, bpMessage('crisis-1', 186, 124, new Date(Date.now() - 60_000)));
    const alert = await waitFor(
      () =>
        control.received
          .filter(({ event }) => event === 'alert.created')
          .map(({ payload }) => payload[0] as AlertDto)
          .find((pushed) => pushed.patientId === patientId),
      { what: 'A’s alert.created on A’s socket', timeoutMs: 10_000 },
    );
    expect(
      (await coordinatorA.request('POST', `/api/alerts/${alert.id}/notes`, { text: 'Calling' })).status,
    ).toBe(200);
    await waitFor(() => control.received.some(({ event }) => event === 'alert.updated'), {
      what: 'alert.updated on A’s socket',
    });
    await sleep(1000);
    for (const other of others) expect(aboutA(other.received, [alert.id])).toEqual([]);

    // Reconnecting asks for a replay from the start: A's own control gets the alert, outsiders not.
    others.forEach(({ socket }) => socket.disconnect());
    const replayed = await Promise.all(Object.values(outsiders).map((user) => listen(user, 0)));
    const controlReplay = await listen(clinicianA, 0);
    await waitFor(() => controlReplay.received.some(({ event }) => event === 'alert.replay.complete'), {
      what: 'the control’s replay',
    });
    expect(aboutA(controlReplay.received, [alert.id]).length).toBeGreaterThan(0);
    for (const other of replayed)
      await waitFor(() => other.received.some(({ event }) => event === 'alert.replay.complete'), {
        what: 'an outsider’s replay summary',
      });

    // And live changes after the reconnect still reach A alone.
    const updates = () => controlReplay.received.filter(({ event }) => event === 'alert.updated').length;
    const updatesBefore = updates();
    await publishRaw(mqtt, device.id, bpMessage('crisis-2', 190, 126, new Date(Date.now() - 30_000)));
    expect(
      (await coordinatorA.request('POST', `/api/alerts/${alert.id}/notes`, { text: 'Again' })).status,
    ).toBe(200);
    await waitFor(() => updates() > updatesBefore, { what: 'alert.updated after the reconnect' });
    await sleep(1500);
    for (const other of replayed) expect(aboutA(other.received, [alert.id])).toEqual([]);
  });

  it('closes a disabled user’s socket within a second', async () => {
    const { socket } = await listen(clinicianA);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const started = Date.now();
    expect((await adminA.request('POST', `/api/users/${clinicianA.id}/disable`)).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(listen(clinicianA)).rejects.toThrow();
  });
});
