import { commandsTopic, readingsTopic, type DeviceMessageV1 } from '@homeward/contracts';
import type { ResolvedDevice } from './devices-file';
import { createLogger } from './logger';
import type { DeviceTransport, TransportEvents, TransportFactory } from './mqtt-transport';
import { createPatientProfile } from './patient-profile';
import { ReadingGenerator } from './reading-generator';
import { SimulatedDevice } from './simulated-device';

interface Sent {
  topic: string;
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
    this.sent.push({ topic, message: JSON.parse(payload) as DeviceMessageV1, done: onDone });
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

function setup(count?: number): {
  device: SimulatedDevice;
  transport: () => FakeTransport;
  logs: Record<string, unknown>[];
} {
  let transport: FakeTransport | undefined;
  const factory: TransportFactory = (_target, events) => (transport = new FakeTransport(events));
  const logs: Record<string, unknown>[] = [];
  const device = new SimulatedDevice({
    device: DEVICE,
    generator: new ReadingGenerator({
      deviceId: DEVICE.id,
      kind: DEVICE.kind,
      profile: createPatientProfile(DEVICE.patientId, 'spec'),
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
});
