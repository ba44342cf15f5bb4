import type { MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { AlertDto } from '@homeward/contracts';
import { bleTopic } from '@homeward/contracts';
import {
  ApiClient,
  TestStack,
  bleHex,
  createOrganization,
  createUser,
  dateTime,
  sfloat,
  sleep,
  u16,
  u8,
  waitFor,
} from '@homeward/testing';
import { bpMessage, connectDevice, publishRaw } from './mqtt-helpers';

describe('device reading to coordinator alert (api, ingest and worker processes; PostgreSQL, Redis, Mosquitto)', () => {
  let stack: TestStack;
  let coordinatorA: ApiClient;
  let coordinatorB: ApiClient;
  let patientId: string;
  let device: { id: string; secret: string; mqttUrl: string };
  let mqtt: MqttClient;
  const sockets: Socket[] = [];

  const openAlertSocket = async (api: ApiClient, received: AlertDto[]): Promise<Socket> => {
    const socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token: api.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    socket.on('alert.created', (alert: AlertDto) => received.push(alert));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  };

  const readingCount = async (messageId: string) =>
    Number(
      (await stack.database.pool.query('SELECT count(*) FROM readings WHERE message_id = $1', [messageId]))
        .rows[0].count,
    );

  beforeAll(async () => {
    stack = await TestStack.start({ apps: ['api', 'ingest', 'worker'] });
    const orgA = await createOrganization(stack.database.pool, 'Org A');
    const orgB = await createOrganization(stack.database.pool, 'Org B');
    const userA = await createUser(stack.database.pool, orgA, 'coordinator');
    const userB = await createUser(stack.database.pool, orgB, 'coordinator');
    coordinatorA = await new ApiClient(stack.apiUrl).login(userA.email, userA.password);
    coordinatorB = await new ApiClient(stack.apiUrl).login(userB.email, userB.password);
    patientId = (await coordinatorA.createPatient('Maria', 'Alvarez')).id;
    device = await coordinatorA.registerDevice(patientId, 'bp_cuff');
    mqtt = await connectDevice(stack.broker.url, device);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await mqtt?.endAsync();
    await stack?.stop();
  });

  it('registers a device with a one-time secret, stored only as a hash, and the broker URL in use', async () => {
    expect(device.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(device.mqttUrl).toBe(stack.broker.url);
    const { rows } = await stack.database.pool.query<{ secret_hash: Buffer }>(
      'SELECT secret_hash FROM devices WHERE id = $1',
      [device.id],
    );
    expect(rows[0].secret_hash.length).toBe(32);
    expect(rows[0].secret_hash.toString('utf8')).not.toContain(device.secret);
  });

  it('stores a crisis BP reading and pushes its alert, waiting for a re-measurement, to coordinators of the same organisation only', async () => {
    const receivedA: AlertDto[] = [];
    const receivedB: AlertDto[] = [];
    await openAlertSocket(coordinatorA, receivedA);
    await openAlertSocket(coordinatorB, receivedB);

    const measuredAt = new Date(Date.now() - 60_000);
    await publishRaw(mqtt, device.id, bpMessage('crisis-1', 186, 124, measuredAt));

    await waitFor(async () => (await readingCount('crisis-1')) === 3, {
      what: 'the reading rows',
      timeoutMs: 5000,
    });
    const alert = await waitFor(() => receivedA.find((a) => a.trigger?.messageId === 'crisis-1'), {
      what: 'alert.created',
      timeoutMs: 5000,
    });
    // A crisis first asks the patient to re-measure (test/remeasure.e2e-spec.ts): the queue
    // shows it at once, as critical, waiting for the re-measurement.
    expect(alert).toMatchObject({
      patientId,
      severity: 'critical',
      status: 'pending_confirmation',
      rule: { id: 'default.bp.crisis', kind: 'any' },
      trigger: {
        type: 'blood_pressure_systolic',
        value: 186,
        unit: 'mm[Hg]',
        deviceId: device.id,
        measuredAt: measuredAt.toISOString(),
      },
    });
    expect(typeof alert.id).toBe('string');
    expect(Date.parse(alert.createdAt)).not.toBeNaN();

    await sleep(1000);
    expect(receivedB).toEqual([]);
    // One measurement, one alert: the diastolic breach does not raise a second one.
    expect(receivedA.filter((a) => a.trigger?.messageId === 'crisis-1')).toHaveLength(1);

    const listA = await coordinatorA.request<{ items: AlertDto[] }>(
      'GET',
      '/api/alerts?status=pending_confirmation,open',
    );
    expect(listA.body.items.map((a) => a.id)).toContain(alert.id);
    const listB = await coordinatorB.request<{ items: AlertDto[] }>(
      'GET',
      '/api/alerts?status=pending_confirmation,open',
    );
    expect(listB.body.items).toEqual([]);
  });

  it('stores a critical reading that arrives hours late as a late alert, and does not push it as new', async () => {
    const received: AlertDto[] = [];
    await openAlertSocket(coordinatorA, received);
    const latePatient = (await coordinatorA.createPatient('Samuel', 'Brooks')).id;
    const lateDevice = await coordinatorA.registerDevice(latePatient, 'bp_cuff');
    const lateMqtt = await connectDevice(stack.broker.url, lateDevice);
    try {
      await publishRaw(
        lateMqtt,
        lateDevice.id,
        bpMessage('late-1', 192, 118, new Date(Date.now() - 3 * 3600_000)),
      );
      const alert = await waitFor(
        async () =>
          (await coordinatorA.request<{ items: AlertDto[] }>('GET', `/api/alerts?patientId=${latePatient}`))
            .body.items[0],
        { what: 'the late alert in the queue', timeoutMs: 10_000 },
      );
      expect(alert).toMatchObject({ severity: 'critical', late: true, trigger: { messageId: 'late-1' } });
      await sleep(1000);
      expect(received.filter((pushed) => pushed.patientId === latePatient)).toEqual([]);
    } finally {
      await lateMqtt.endAsync();
    }
  });

  it('lists the patient vitals newest first with LOINC-coded types and UCUM units', async () => {
    // Measured before crisis-1: not a re-measurement of it, so the crisis stays pending.
    await publishRaw(mqtt, device.id, bpMessage('normal-1', 128, 82, new Date(Date.now() - 90_000)));
    await waitFor(async () => (await readingCount('normal-1')) === 3, { what: 'normal reading' });
    const response = await coordinatorA.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/api/patients/${patientId}/vitals?type=blood_pressure_systolic`,
    );
    expect(response.status).toBe(200);
    expect(response.body.items.map((i) => [i.messageId, i.value])).toEqual([
      ['crisis-1', 186],
      ['normal-1', 128],
    ]);
    expect(response.body.items[1]).toMatchObject({
      type: 'blood_pressure_systolic',
      unit: 'mm[Hg]',
      loinc: '8480-6',
      deviceId: device.id,
    });
    const other = await coordinatorB.request('GET', `/api/patients/${patientId}/vitals`);
    expect(other.status).toBe(404);
  });

  it('stores a repeated messageId once and raises its alert once', async () => {
    const measuredAt = new Date(Date.now() - 20_000);
    const payload = bpMessage('dup-1', 190, 100, measuredAt);
    await publishRaw(mqtt, device.id, payload);
    await publishRaw(mqtt, device.id, payload);
    await waitFor(async () => (await readingCount('dup-1')) >= 3, { what: 'duplicate reading' });
    await sleep(1500);
    await publishRaw(mqtt, device.id, payload);
    await sleep(1000);
    expect(await readingCount('dup-1')).toBe(3);
    // Linked once to the patient's blood-pressure alert (raised by crisis-1): no second alert. As
    // a crisis-level re-measurement it confirmed that alert, which is now open.
    const linked = await stack.database.pool.query<{ alert_id: string }>(
      'SELECT alert_id FROM alert_occurrences WHERE message_id = $1',
      ['dup-1'],
    );
    expect(linked.rowCount).toBe(1);
    const { rows } = await stack.database.pool.query<{ occurrences: number; n: number }>(
      `SELECT max(occurrences) AS occurrences, count(*)::int AS n FROM alerts
       WHERE patient_id = $1 AND episode_key = 'bp.high' AND status = 'open'`,
      [patientId],
    );
    expect(rows[0]).toEqual({ occurrences: 2, n: 1 });
  });

  it('records each malformed payload with a specific reason and keeps storing valid readings', async () => {
    const now = Date.now();
    const valid = (readings: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        messageId: `m-${Math.random().toString(36).slice(2)}`,
        measuredAt: new Date(now - 5000).toISOString(),
        readings,
        ...extra,
      });
    const sys = (value: unknown, unit = 'mm[Hg]') => ({ type: 'blood_pressure_systolic', value, unit });
    const cases: Array<{ reason: string; payload: string | Buffer; topic?: string }> = [
      { reason: 'invalid_json', payload: '{"messageId": "x", ' },
      {
        reason: 'invalid_json',
        payload:
          '{"messageId":"nan-1","measuredAt":"2026-11-25T07:00:00Z","readings":[{"type":"heart_rate","value":NaN,"unit":"/min"}]}',
      },
      { reason: 'invalid_encoding', payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
      { reason: 'payload_too_large', payload: valid([sys(120)], { padding: 'x'.repeat(17 * 1024) }) },
      {
        reason: 'schema_violation',
        payload: JSON.stringify({ measuredAt: new Date(now).toISOString(), readings: [sys(120)] }),
      },
      { reason: 'schema_violation', payload: valid([sys('120')]) },
      { reason: 'schema_violation', payload: valid([]) },
      { reason: 'unknown_type', payload: valid([{ type: 'blood_ketones', value: 1, unit: 'mmol/L' }]) },
      { reason: 'unsupported_unit', payload: valid([{ type: 'body_weight', value: 80, unit: 'stone' }]) },
      { reason: 'non_finite_value', payload: valid([sys(120)]).replace('"value":120', '"value":1e400') },
      { reason: 'implausible_value', payload: valid([sys(420)]) },
      { reason: 'invalid_timestamp', payload: valid([sys(120)], { measuredAt: 'yesterday' }) },
      {
        reason: 'measured_at_in_future',
        payload: valid([sys(120)], { measuredAt: new Date(now + 3_600_000).toISOString() }),
      },
      { reason: 'duplicate_type', payload: valid([sys(120), sys(125)]) },
      {
        reason: 'systolic_not_above_diastolic',
        payload: valid([sys(80), { type: 'blood_pressure_diastolic', value: 95, unit: 'mm[Hg]' }]),
      },
      {
        reason: 'unknown_device',
        payload: valid([sys(120)]),
        topic: 'v1/devices/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/readings',
      },
      { reason: 'invalid_device_id', payload: valid([sys(120)]), topic: 'v1/devices/not-a-device/readings' },
    ];
    const before = Number(
      (await stack.database.pool.query('SELECT count(*) FROM reading_rejections')).rows[0].count,
    );
    for (const c of cases) await publishRaw(mqtt, device.id, c.payload, c.topic);
    await publishRaw(mqtt, device.id, bpMessage('after-bad', 131, 85, new Date(now - 1000)));

    await waitFor(async () => (await readingCount('after-bad')) === 3, {
      what: 'the valid reading after the bad ones',
    });
    const { rows } = await stack.database.pool.query<{
      reason: string;
      detail: string;
      payload_excerpt: string;
      payload_bytes: number;
    }>(
      'SELECT reason, detail, payload_excerpt, payload_bytes FROM reading_rejections ORDER BY id OFFSET $1',
      [before],
    );
    expect(rows.map((r) => r.reason)).toEqual(cases.map((c) => c.reason));
    for (const row of rows) {
      expect(row.detail.length).toBeGreaterThan(5);
      expect(row.payload_excerpt.length).toBeLessThanOrEqual(4096);
      expect(row.payload_bytes).toBeGreaterThan(0);
    }
    expect(rows.find((r) => r.reason === 'implausible_value')?.detail).toContain('420');
    expect(rows.find((r) => r.reason === 'unsupported_unit')?.detail).toContain('stone');
    expect(stack.app('ingest').running).toBe(true);
  });

  it('converts alternative units to the catalogue unit and keeps the source value', async () => {
    const scale = await coordinatorA.registerDevice(patientId, 'scale');
    const client = await connectDevice(stack.broker.url, scale);
    await publishRaw(
      client,
      scale.id,
      JSON.stringify({
        messageId: 'lb-1',
        measuredAt: new Date(Date.now() - 1000).toISOString(),
        readings: [{ type: 'body_weight', value: 176.4, unit: '[lb_av]' }],
      }),
    );
    await client.endAsync();
    const row = await waitFor(
      async () =>
        (
          await stack.database.pool.query<Record<string, unknown>>(
            'SELECT value, unit, source_value, source_unit, loinc FROM readings WHERE message_id = $1',
            ['lb-1'],
          )
        ).rows[0],
    );
    expect(row).toEqual({
      value: 80.01,
      unit: 'kg',
      source_value: 176.4,
      source_unit: '[lb_av]',
      loinc: '29463-7',
    });
  });

  it('stores a Bluetooth LE blood pressure a hub forwards, with its status flags on the vitals, and rejects a malformed one', async () => {
    const hubPatientId = (await coordinatorA.createPatient('Jonas', 'Berg')).id;
    const hub = await coordinatorA.registerDevice(hubPatientId, 'hub');
    const client = await connectDevice(stack.broker.url, hub);
    const stamped = new Date(Date.now() - 120_000);
    stamped.setUTCMilliseconds(0);
    // Blood Pressure Measurement: mmHg, time stamp, pulse and status; status bit 2 is irregular pulse.
    const value = bleHex(
      u8(0x02 | 0x04 | 0x10),
      sfloat(132),
      sfloat(84),
      sfloat(100),
      dateTime(
        stamped.getUTCFullYear(),
        stamped.getUTCMonth() + 1,
        stamped.getUTCDate(),
        stamped.getUTCHours(),
        stamped.getUTCMinutes(),
        stamped.getUTCSeconds(),
      ),
      sfloat(68),
      u16(0x0004),
    );
    const ble = (messageId: string, hex: string) =>
      JSON.stringify({ messageId, characteristic: '2a35', value: hex, receivedAt: new Date().toISOString() });
    const before = Number(
      (await stack.database.pool.query('SELECT count(*) FROM reading_rejections')).rows[0].count,
    );
    await publishRaw(client, hub.id, ble('ble-short', value.slice(0, 6)), bleTopic(hub.id));
    await publishRaw(client, hub.id, ble('ble-1', value), bleTopic(hub.id));
    await client.endAsync();

    await waitFor(async () => (await readingCount('ble-1')) === 3, { what: 'the BLE readings' });
    const response = await coordinatorA.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/api/patients/${hubPatientId}/vitals`,
    );
    expect(response.status).toBe(200);
    expect(response.body.items.map((i) => [i.type, i.value, i.measuredAt, i.flags])).toEqual([
      ['blood_pressure_diastolic', 84, stamped.toISOString(), ['irregular_pulse']],
      ['blood_pressure_systolic', 132, stamped.toISOString(), ['irregular_pulse']],
      ['heart_rate', 68, stamped.toISOString(), ['irregular_pulse']],
    ]);
    const { rows } = await stack.database.pool.query<{ reason: string; message_id: string; topic: string }>(
      'SELECT reason, message_id, topic FROM reading_rejections ORDER BY id OFFSET $1',
      [before],
    );
    expect(rows).toEqual([{ reason: 'truncated', message_id: 'ble-short', topic: bleTopic(hub.id) }]);
  });

  it('replays alerts a coordinator missed when the socket reconnects with its last sequence', async () => {
    const list = await coordinatorA.request<{ items: AlertDto[] }>('GET', '/api/alerts');
    const oldest = Math.min(...list.body.items.map((a) => a.sequence));
    const replayed: AlertDto[] = [];
    const socket = io(`${stack.apiUrl}/alerts`, {
      auth: { token: coordinatorA.accessToken, lastSequence: oldest - 1 },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    socket.on('alert.created', (alert: AlertDto) => replayed.push(alert));
    let completed = false;
    socket.on('alert.replay.complete', () => (completed = true));
    await waitFor(() => completed, { what: 'alert.replay.complete' });
    // Critical first, newest first within a severity.
    const rank = { critical: 0, warning: 1, info: 2 };
    expect(replayed.map((a) => a.sequence)).toEqual(
      [...list.body.items]
        .sort((a, b) => rank[a.severity] - rank[b.severity] || b.sequence - a.sequence)
        .map((a) => a.sequence),
    );
  });
});
