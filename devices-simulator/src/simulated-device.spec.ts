import { bleTopic, commandsTopic, readingsTopic, type DeviceMessageV1 } from '@homeward/contracts';
import { DeliveryStats } from './delivery-stats';
import type { ResolvedDevice } from './devices-file';
import { createLogger } from './logger';
import type { DeviceTransport, TransportEvents, TransportFactory } from './mqtt-transport';
import { createPatientProfile } from './patient-profile';
import { ReadingGenerator } from './reading-generator';
import { receiptsTopic, statusTopic } from '@homeward/contracts';
import { SimulatedDevice, type SimulatedDeviceOptions } from './simulated-device';

interface Sent {
  topic: string;
  payload: string;
  /** The parsed payload; an empty message when it is not JSON (a deliberately broken one). */
  message: DeviceMessageV1;
  done: (error?: Error) => void;
}

/** An in-memory broker connection the test drives by hand: connect, drop, acknowledge. */
class FakeTransport implements DeviceTransport {
  connected = false;
  sent: Sent[] = [];
  ended?: { force: boolean };
  readonly subscriptions = new Map<string, (payload: string) => void>();
  constructor(readonly events: TransportEvents) {}
  subscribe(topic: string, onMessage: (payload: string) => void): void {
    this.subscriptions.set(topic, onMessage);
  }
  deliver(topic: string, payload: string): void {
    this.subscriptions.get(topic)?.(payload);
  }
  publish(topic: string, payload: string, onDone: (error?: Error) => void): void {
    let message: DeviceMessageV1 = { messageId: '', measuredAt: '', readings: [] };
    try {
      message = JSON.parse(payload) as DeviceMessageV1;
    } catch {
      // kept as sent in `payload`
    }
    this.sent.push({ topic, payload, message, done: onDone });
  }
  end(force: boolean): Promise<void> {
    this.ended = { force };
    this.connected = false;
    return Promise.resolve();
  }
  goOnline(): void {
    this.connected = true;
    this.events.connect();
  }
  goOffline(): void {
    this.connected = false;
    this.events.close();
  }
  ackAll(): void {
    for (const s of this.sent.splice(0)) s.done();
  }
}

const DEVICE: ResolvedDevice = {
  id: 'bp-0001',
  secret: 's',
  kind: 'bp_cuff',
  patientId: 'p1',
  mqttUrl: 'mqtt://fake',
};
const INTERVAL_MS = 10_000;

function setup(
  count?: number,
  extra: Partial<SimulatedDeviceOptions> = {},
  target: ResolvedDevice = DEVICE,
): {
  device: SimulatedDevice;
  transport: () => FakeTransport;
  logs: Record<string, unknown>[];
} {
  let transport: FakeTransport | undefined;
  const factory: TransportFactory = (_target, events) => (transport = new FakeTransport(events));
  const logs: Record<string, unknown>[] = [];
  const device = new SimulatedDevice({
    device: target,
    generator: new ReadingGenerator({
      deviceId: target.id,
      kind: target.kind,
      profile: createPatientProfile(target.patientId, 'spec'),
      seed: 'spec',
      startedAt: new Date(),
    }),
    intervalMs: INTERVAL_MS,
    seed: 'spec',
    count,
    logger: createLogger({
      minLevel: 'debug',
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    }),
    transport: factory,
    ...extra,
  });
  return {
    device,
    logs,
    transport: () => {
      if (!transport) throw new Error('not started');
      return transport;
    },
  };
}

describe('SimulatedDevice', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-25T07:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('publishes its first reading within two seconds, to its own readings topic', () => {
    const { device, transport } = setup();
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000);
    expect(transport().sent).toHaveLength(1);
    expect(transport().sent[0]?.topic).toBe(readingsTopic(DEVICE.id));
    expect(transport().sent[0]?.message.readings.map((r) => r.type)).toEqual([
      'blood_pressure_systolic',
      'blood_pressure_diastolic',
      'heart_rate',
    ]);
  });

  it('measures on a jittered interval', () => {
    const { device, transport } = setup();
    device.start();
    transport().goOnline();
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = transport().sent.length;
      while (transport().sent.length === before) jest.advanceTimersByTime(100);
      times.push(Date.now());
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS * 0.85 - 100);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(INTERVAL_MS * 1.15 + 100);
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it('holds readings while offline and sends them, unchanged, once connected', () => {
    const { device, transport } = setup();
    device.start();
    jest.advanceTimersByTime(2000 + 2 * INTERVAL_MS * 1.15);
    expect(transport().sent).toHaveLength(0);
    transport().goOnline();
    expect(transport().sent.map((s) => s.message.messageId)).toHaveLength(3);
    expect(new Set(transport().sent.map((s) => s.message.measuredAt)).size).toBe(3);
  });

  it('republishes the same messageId and measuredAt after a reconnect when the publish failed', () => {
    const { device, transport, logs } = setup();
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000);
    const first = transport().sent.splice(0)[0];
    if (!first) throw new Error('nothing sent');
    transport().goOffline();
    first.done(new Error('Connection closed'));
    jest.advanceTimersByTime(1500);
    expect(transport().sent).toHaveLength(0);

    transport().goOnline();
    const again = transport().sent.find((s) => s.message.messageId === first.message.messageId);
    expect(again?.message).toEqual(first.message);
    expect(logs.some((l) => l.msg === 'message republished' && l.messageId === first.message.messageId)).toBe(
      true,
    );
  });

  it('leaves in-flight readings to the MQTT client on reconnect instead of sending duplicates', () => {
    const { device, transport } = setup();
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000);
    expect(transport().sent).toHaveLength(1);
    transport().goOffline();
    transport().goOnline();
    expect(transport().sent).toHaveLength(1);
  });

  it('stops after --count readings once all are acknowledged, then disconnects cleanly', async () => {
    const { device, transport } = setup(3);
    let done = false;
    void device.done.then(() => (done = true));
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000 + 5 * INTERVAL_MS);
    expect(transport().sent).toHaveLength(3);
    await Promise.resolve();
    expect(done).toBe(false);

    transport().ackAll();
    await Promise.resolve();
    expect(done).toBe(true);
    const summary = await device.stop(5000);
    expect(summary).toMatchObject({ deviceId: DEVICE.id, measured: 3, acknowledged: 3, unacknowledged: [] });
    expect(transport().ended).toEqual({ force: false });
  });

  it('reports readings still unacknowledged when stopped', async () => {
    const { device, transport } = setup();
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000);
    const stopping = device.stop(5000);
    jest.advanceTimersByTime(5000);
    const summary = await stopping;
    expect(summary.unacknowledged).toEqual([transport().sent[0]?.message.messageId]);
    expect(transport().ended).toEqual({ force: true });
  });

  it('measures again at once when the platform asks it to re-measure, once per command', () => {
    const { device, transport } = setup();
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000);
    expect(transport().sent).toHaveLength(1);
    const command = JSON.stringify({
      commandId: 'c-1',
      command: 'remeasure',
      types: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
      reason: 'confirm_reading',
      expiresAt: '2026-11-25T07:05:00Z',
    });
    transport().deliver(commandsTopic(DEVICE.id), command);
    expect(transport().sent).toHaveLength(2);
    expect(transport().sent[1]?.topic).toBe(readingsTopic(DEVICE.id));
    // A redelivered command (QoS 1) and anything that is not a command change nothing.
    transport().deliver(commandsTopic(DEVICE.id), command);
    transport().deliver(commandsTopic(DEVICE.id), 'not json');
    expect(transport().sent).toHaveLength(2);
  });

  it('answers a re-measure request only after its delay, measuring nothing meanwhile', () => {
    const { device, transport } = setup(undefined, { remeasureDelayMs: 200_000 });
    // Republished messages (no PUBACK in this fake) are not measurements: count message ids.
    const measured = () => new Set(transport().sent.map((sent) => sent.message.messageId)).size;
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000);
    expect(measured()).toBe(1);
    const command = JSON.stringify({ commandId: 'c-2', command: 'remeasure', types: ['heart_rate'] });
    transport().deliver(commandsTopic(DEVICE.id), command);
    // Any reading meanwhile would answer the request: the regular schedule waits too.
    jest.advanceTimersByTime(199_000);
    expect(measured()).toBe(1);
    jest.advanceTimersByTime(1000);
    expect(measured()).toBe(2);
  });

  describe('with receipts', () => {
    const RECEIPT_MS = 10_000;
    const receipt = (messageId: string | null, status: string, reason?: string): string =>
      JSON.stringify({ messageId, status, reason });

    it('keeps a message after its PUBACK until the stored receipt, then is done', async () => {
      const stats = new DeliveryStats();
      const { device, transport } = setup(1, { receiptTimeoutMs: RECEIPT_MS, stats });
      let done = false;
      void device.done.then(() => (done = true));
      device.start();
      expect(transport().subscriptions.has(receiptsTopic(DEVICE.id))).toBe(true);
      transport().goOnline();
      jest.advanceTimersByTime(2000);
      const id = transport().sent[0]?.message.messageId ?? '';
      transport().ackAll();
      await Promise.resolve();
      expect(done).toBe(false);
      expect(device.pending).toBe(1);
      transport().deliver(receiptsTopic(DEVICE.id), receipt(id, 'stored'));
      await Promise.resolve();
      expect(done).toBe(true);
      expect(stats.summary().receipts).toEqual({ stored: 1, duplicate: 0, rejected: 0 });
    });

    it('drops a rejected message, logging the reason', () => {
      const stats = new DeliveryStats();
      const { device, transport, logs } = setup(undefined, { receiptTimeoutMs: RECEIPT_MS, stats });
      device.start();
      transport().goOnline();
      jest.advanceTimersByTime(2000);
      const id = transport().sent[0]?.message.messageId ?? '';
      transport().ackAll();
      transport().deliver(receiptsTopic(DEVICE.id), receipt(id, 'rejected', 'implausible_value'));
      expect(device.pending).toBe(0);
      expect(stats.summary().rejectedByReason).toEqual({ implausible_value: 1 });
      expect(
        logs.some(
          (l) => l.msg === 'message rejected by the platform, dropped' && l.reason === 'implausible_value',
        ),
      ).toBe(true);
    });

    it('republishes the same bytes when no receipt comes within the timeout', () => {
      const { device, transport } = setup(1, { receiptTimeoutMs: RECEIPT_MS });
      device.start();
      transport().goOnline();
      jest.advanceTimersByTime(2000);
      const first = transport().sent[0];
      transport().ackAll();
      jest.advanceTimersByTime(RECEIPT_MS + 1000);
      expect(transport().sent).toHaveLength(1);
      expect(transport().sent[0]?.payload).toBe(first?.payload);
    });

    it('republishes what the broker acknowledged but the platform never receipted after a reconnect', () => {
      const { device, transport } = setup(1, { receiptTimeoutMs: RECEIPT_MS });
      device.start();
      transport().goOnline();
      jest.advanceTimersByTime(2000);
      const first = transport().sent[0];
      transport().ackAll();
      transport().goOffline();
      transport().goOnline();
      expect(transport().sent.map((s) => s.payload)).toEqual([first?.payload]);
    });
  });

  it('buffers a hub reading during an outage and uploads the backlog as one batch', () => {
    const hub: ResolvedDevice = { ...DEVICE, id: 'hub-0001', kind: 'hub' };
    const { device, transport } = setup(
      undefined,
      { hub: { onlineMs: 1000, offlineMs: 5 * INTERVAL_MS } },
      hub,
    );
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(1000);
    // Offline from 1 s: the first reading (0.2-2 s) may or may not have gone out before.
    transport().ackAll();
    jest.advanceTimersByTime(5 * INTERVAL_MS - 100);
    expect(transport().sent).toHaveLength(0);
    jest.advanceTimersByTime(200);
    expect(transport().sent).toHaveLength(1);
    const batch = JSON.parse(transport().sent[0]?.payload ?? '{}') as { messages?: DeviceMessageV1[] };
    expect(batch.messages?.length).toBeGreaterThanOrEqual(4);
    expect(batch.messages?.[0]?.readings.map((r) => r.type)).toContain('body_weight');
    transport().ackAll();
    expect(device.pending).toBe(0);
  });

  it('publishes raw Bluetooth LE values to its ble topic in BLE mode', () => {
    const { device, transport } = setup(undefined, { ble: true });
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000);
    expect(transport().sent).toHaveLength(1);
    expect(transport().sent[0]?.topic).toBe(bleTopic(DEVICE.id));
    expect(JSON.parse(transport().sent[0]?.payload ?? '{}')).toMatchObject({
      characteristic: '2A35',
      value: expect.stringMatching(/^([0-9a-f]{2})+$/) as unknown,
    });
  });

  it('sends broken messages in malformed mode and lets them go on PUBACK', () => {
    const stats = new DeliveryStats();
    const { device, transport } = setup(undefined, {
      malformedFraction: 1,
      malformedKinds: ['invalid_json', 'wrong_unit'],
      receiptTimeoutMs: 10_000,
      stats,
    });
    device.start();
    transport().goOnline();
    jest.advanceTimersByTime(2000 + INTERVAL_MS * 1.2);
    expect(transport().sent).toHaveLength(2);
    transport().ackAll();
    expect(device.pending).toBe(0);
    expect(stats.summary().brokenSent).toEqual({ invalid_json: 1, wrong_unit: 1 });
  });

  it('reports status with a draining battery', () => {
    const { device, transport } = setup(undefined, { statusIntervalMs: 60 * 60 * 1000 });
    device.start();
    transport().goOnline();
    const sent: Sent[] = [];
    const publish = transport().publish.bind(transport());
    transport().publish = (topic, payload, onDone) => {
      publish(topic, payload, onDone);
      sent.push({ topic, payload, message: { messageId: '', measuredAt: '', readings: [] }, done: onDone });
    };
    for (let hour = 0; hour < 3; hour++) {
      jest.advanceTimersByTime(60 * 60 * 1000);
      transport().ackAll();
    }
    const statuses = sent
      .filter((s) => s.topic === statusTopic(DEVICE.id))
      .map(
        (s) =>
          JSON.parse(s.payload) as { batteryLevel: number; firmwareVersion: string; signalStrength: number },
      );
    expect(statuses).toHaveLength(3);
    expect(statuses[2]?.batteryLevel).toBeLessThanOrEqual(statuses[0]?.batteryLevel ?? 0);
    expect(statuses.every((s) => s.batteryLevel >= 0 && s.batteryLevel <= 100 && s.signalStrength < 0)).toBe(
      true,
    );
  });
});
