import type { MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { AlertDto } from '@homeward/contracts';
import {
  ApiClient,
  TestStack,
  careTeamId,
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

describe('alert socket authorisation: outsiders receive none of a patient’s alerts, a disabled user’s socket closes, a member removed from the care team is cut off', () => {
  let stack: TestStack;
  let mqtt: MqttClient;
  let device: { id: string; secret: string; mqttUrl: string };
  let patientId: string;
  let coordinatorA: ApiClient;
  let adminA: ApiClient;
  let clinicianA: TestUser;
  let orgA: string;
  /** Another organisation's admin, coordinator and clinician; A's coordinator and clinician of another care team. */
  const outsiders: TestUser[] = [];
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
    orgA = await createOrganization(pool, 'Org A');
    const orgB = await createOrganization(pool, 'Org B');
    const coordinator = await createUser(pool, orgA, 'coordinator');
    const admin = await createUser(pool, orgA, 'admin');
    clinicianA = await createUser(pool, orgA, 'clinician');
    for (const role of ['admin', 'coordinator', 'clinician'] as const)
      outsiders.push(await createUser(pool, orgB, role));
    for (const role of ['coordinator', 'clinician'] as const)
      outsiders.push(await createUser(pool, orgA, role, { careTeam: 'Elsewhere' }));
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

  it('pushes A’s alert to its care team only, before and after a reconnect: not to another organisation, nor to A’s other teams', async () => {
    const others = await Promise.all(outsiders.map((user) => listen(user)));
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
    const replayed = await Promise.all(outsiders.map((user) => listen(user, 0)));
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

  it('joins a member added to the care team at once, and closes the socket of one removed, who then receives nothing of the patient', async () => {
    const team = await careTeamId(stack.database.pool, orgA);
    const newcomer = await createUser(stack.database.pool, orgA, 'coordinator', { careTeam: false });
    const live = await listen(newcomer);
    const { items } = (
      await coordinatorA.request<{ items: AlertDto[] }>('GET', `/api/alerts?patientId=${patientId}`)
    ).body;
    const alertId = items[0].id;
    const note = async (text: string) =>
      expect((await coordinatorA.request('POST', `/api/alerts/${alertId}/notes`, { text })).status).toBe(200);

    // Added: the open socket receives the team's events without reconnecting.
    expect((await adminA.request('PUT', `/api/care-teams/${team}/members/${newcomer.id}`)).status).toBe(204);
    await sleep(300);
    await note('For the newcomer');
    await waitFor(() => aboutA(live.received, [alertId]).length > 0, {
      what: 'the newcomer’s alert.updated',
    });

    // Removed: the socket is closed within a second.
    const closed = new Promise<string>((resolve) => live.socket.once('disconnect', resolve));
    const started = Date.now();
    expect((await adminA.request('DELETE', `/api/care-teams/${team}/members/${newcomer.id}`)).status).toBe(
      204,
    );
    expect(await closed).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(1000);

    // Reconnected with a replay from the start, nothing of the patient, live or replayed.
    const again = await listen(newcomer, 0);
    await waitFor(() => again.received.some(({ event }) => event === 'alert.replay.complete'), {
      what: 'the removed member’s replay',
    });
    await note('After the removal');
    await sleep(1500);
    expect(aboutA(again.received, [alertId])).toEqual([]);
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
