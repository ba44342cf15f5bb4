import type { ResolvedDevice } from './devices-file';
import { LoadPacer, messagesDueBy, perDevicePerMinute, runLoad } from './load-driver';
import type { TransportFactory } from './mqtt-transport';

describe('load pacing', () => {
  it('computes how many messages are due by a point in the run', () => {
    expect(messagesDueBy(0, 1000)).toBe(0);
    expect(messagesDueBy(4, 1000)).toBe(4);
    expect(messagesDueBy(999, 3)).toBe(2);
    expect(messagesDueBy(1000, 3)).toBe(3);
    expect(messagesDueBy(-5, 10)).toBe(0);
  });

  it('holds the average rate over irregular ticks and catches up after a late one', () => {
    const pacer = new LoadPacer(2000, 7);
    let sent = 0;
    for (const t of [5, 10, 15, 60, 65, 1000]) sent += pacer.take(t).length;
    expect(sent).toBe(2000);
    expect(pacer.total).toBe(2000);
  });

  it('spreads messages over devices in turn', () => {
    const pacer = new LoadPacer(1000, 3);
    expect(pacer.take(7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(pacer.take(9)).toEqual([1, 2]);
  });

  it('tells how many messages a minute each device sends', () => {
    expect(perDevicePerMinute(2000, 200)).toBe(600);
    expect(perDevicePerMinute(50, 5)).toBe(600);
  });
});

describe('runLoad', () => {
  /** Connects at once and acknowledges every publish on the next tick. */
  const instantBroker: TransportFactory = (_target, events) => {
    setImmediate(() => events.connect());
    return {
      connected: true,
      publish: (_topic, _payload, onDone) => setImmediate(() => onDone()),
      end: () => Promise.resolve(),
    };
  };
  const devices: ResolvedDevice[] = [1, 2, 3].map((n) => ({
    id: `load-${n}`,
    secret: 's',
    kind: 'bp_cuff',
    patientId: `p-${n}`,
    mqttUrl: 'mqtt://fake',
  }));

  it('publishes the paced number of measurements through every device and summarises them', async () => {
    const summary = await runLoad({
      devices,
      seed: 'spec',
      ratePerSecond: 100,
      durationSeconds: 0.3,
      transport: instantBroker,
    });
    expect(summary).toMatchObject({
      mode: 'load',
      devices: 3,
      connected: 3,
      published: 30,
      acked: 30,
      unsettled: 0,
      receiptsAwaited: false,
    });
    expect(summary.sent.readings).toBe(30);
    // A cuff measures systolic, diastolic and pulse: what the benchmark compares with stored rows.
    expect(summary.ackedValues).toBe(90);
    expect(summary.latencyMs.puback.count).toBe(30);
  });

  it('skips what a device cannot send while it already holds its most unsettled messages', async () => {
    // A broker that connects and never acknowledges: every publish stays pending.
    const silentBroker: TransportFactory = (_target, events) => {
      setImmediate(() => events.connect());
      return { connected: true, publish: () => undefined, end: () => Promise.resolve() };
    };
    const summary = await runLoad({
      devices,
      seed: 'spec',
      ratePerSecond: 200,
      durationSeconds: 0.3,
      drainTimeoutMs: 10,
      transport: silentBroker,
      maxPendingPerDevice: 5,
    });
    expect(summary.published).toBe(15);
    expect(summary.skipped).toBe(45);
    expect(summary.unsettled).toBe(15);
  });

  it('ends the paced window early when its signal aborts', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const summary = await runLoad({
      devices,
      seed: 'spec',
      ratePerSecond: 100,
      durationSeconds: 30,
      transport: instantBroker,
      signal: stop.signal,
    });
    expect(summary.published).toBeGreaterThan(0);
    expect(summary.published).toBeLessThan(100);
    expect(summary.unsettled).toBe(0);
  });
});
