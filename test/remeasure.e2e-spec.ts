import type { MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { commandsTopic, type AlertDto, type DeviceCommandV1 } from '@homeward/contracts';
import { ApiClient, TestStack, createOrganization, createUser, waitFor } from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from './mqtt-helpers';

/** Long enough for a prompt re-measurement on a busy machine, short enough to wait out once. */
const CONFIRM_WITHIN_SECONDS = 8;

interface SeenAlert {
  event: 'alert.created' | 'alert.updated';
  alert: AlertDto;
}

describe('hypertensive-crisis re-measure flow (api, ingest and worker processes; PostgreSQL, Redis, Mosquitto)', () => {
  let stack: TestStack;
  let coordinator: ApiClient;
  let socket: Socket;
  const seen: SeenAlert[] = [];
  const clients: MqttClient[] = [];

  /** A new patient's BP cuff, connected and subscribed to its commands topic. */
  const cuffWithCommands = async () => {
    const patientId = (await coordinator.createPatient()).id;
    const device = await coordinator.registerDevice(patientId, 'bp_cuff');
    const mqtt = await connectDevice(stack.broker.url, device);
    clients.push(mqtt);
    const commands: DeviceCommandV1[] = [];
    mqtt.on('message', (topic, payload) => {
      if (topic === commandsTopic(device.id))
        commands.push(JSON.parse(payload.toString()) as DeviceCommandV1);
    });
    await mqtt.subscribeAsync(commandsTopic(device.id), { qos: 1 });
    return { patientId, device, mqtt, commands };
  };

  const pushed = (patientId: string, event: SeenAlert['event'], status: AlertDto['status']) =>
    waitFor(
      () =>
        seen.find((s) => s.event === event && s.alert.patientId === patientId && s.alert.status === status)
          ?.alert,
      { what: `${event} with status ${status}`, timeoutMs: 20_000 },
    );

  beforeAll(async () => {
    stack = await TestStack.start({
      apps: ['api', 'ingest', 'worker'],
      env: { ALERT_CONFIRM_WITHIN_SECONDS: String(CONFIRM_WITHIN_SECONDS) },
    });
    const organization = await createOrganization(stack.database.pool);
    const user = await createUser(stack.database.pool, organization, 'coordinator');
    coordinator = await new ApiClient(stack.apiUrl).login(user.email, user.password);
    socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token: coordinator.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    socket.on('alert.created', (alert: AlertDto) => seen.push({ event: 'alert.created', alert }));
    socket.on('alert.updated', (alert: AlertDto) => seen.push({ event: 'alert.updated', alert }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });

  afterAll(async () => {
    socket?.disconnect();
    await Promise.all(clients.map((client) => client.endAsync()));
    await stack?.stop();
  });

  it('asks the device to re-measure a crisis reading, and opens the alert as critical when the re-measurement confirms it', async () => {
    const { patientId, device, mqtt, commands } = await cuffWithCommands();
    await publishRaw(mqtt, device.id, bpMessage('crisis-1', 186, 124, new Date(Date.now() - 5000)));

    const command = await waitFor(() => commands[0], { what: 'the remeasure command', timeoutMs: 20_000 });
    expect(command).toEqual({
      commandId: expect.any(String),
      command: 'remeasure',
      types: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
      reason: 'confirm_reading',
      expiresAt: expect.any(String),
    });
    const pending = await pushed(patientId, 'alert.created', 'pending_confirmation');
    expect(pending).toMatchObject({ severity: 'critical', trigger: { messageId: 'crisis-1', value: 186 } });

    await publishRaw(mqtt, device.id, bpMessage('remeasure-1', 184, 118));
    const confirmed = await pushed(patientId, 'alert.updated', 'open');
    expect(confirmed).toMatchObject({ id: pending.id, severity: 'critical', occurrences: 2 });

    const detail = await coordinator.request<{
      history: Array<{ action: string; detail: { reason?: string } }>;
    }>('GET', `/api/alerts/${pending.id}`);
    expect(detail.body.history.map((entry) => [entry.action, entry.detail.reason])).toEqual([
      ['raise', undefined],
      ['confirm', 'confirmed'],
    ]);
  });

  it('opens the alert as critical when no re-measurement arrives in time', async () => {
    const { patientId, device, mqtt, commands } = await cuffWithCommands();
    await publishRaw(mqtt, device.id, bpMessage('crisis-2', 192, 100, new Date(Date.now() - 5000)));
    await waitFor(() => commands[0], { what: 'the remeasure command', timeoutMs: 20_000 });
    const pending = await pushed(patientId, 'alert.created', 'pending_confirmation');

    const opened = await pushed(patientId, 'alert.updated', 'open');
    expect(opened).toMatchObject({ id: pending.id, severity: 'critical', occurrences: 1 });
    const list = await coordinator.request<{ items: AlertDto[] }>(
      'GET',
      `/api/alerts?patientId=${patientId}`,
    );
    expect(list.body.items).toEqual([expect.objectContaining({ id: pending.id, status: 'open' })]);
  });

  it('resolves the alert when the re-measurement is below crisis level', async () => {
    const { patientId, device, mqtt, commands } = await cuffWithCommands();
    await publishRaw(mqtt, device.id, bpMessage('crisis-3', 181, 95, new Date(Date.now() - 5000)));
    await waitFor(() => commands[0], { what: 'the remeasure command', timeoutMs: 20_000 });
    const pending = await pushed(patientId, 'alert.created', 'pending_confirmation');

    await publishRaw(mqtt, device.id, bpMessage('remeasure-3', 134, 84));
    const resolved = await pushed(patientId, 'alert.updated', 'resolved');
    expect(resolved.id).toBe(pending.id);
    expect(seen.filter((s) => s.alert.id === pending.id && s.alert.status === 'open')).toEqual([]);
  });
});
