import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import pino from 'pino';
import { HeldAckMqttConsumer, maxPublishing, type InboundMessage } from '@homeward/platform';
import { sleep, startMosquitto, waitFor, type TestBroker } from '@homeward/testing';

/**
 * Guards the mqtt.js internals the consumer relies on (mqtt is pinned): if PUBACKs stopped
 * being held until commit, the "uncommitted" case below would see no redelivery.
 */
describe('HeldAckMqttConsumer against a real Mosquitto', () => {
  let broker: TestBroker;
  let publisher: MqttClient;
  const logger = pino({ level: 'silent' });
  const filter = 'held-test/+/readings';

  beforeAll(async () => {
    broker = await startMosquitto();
    publisher = connect(broker.url, { clientId: `pub-${randomBytes(4).toString('hex')}` });
    await new Promise((resolve) => publisher.once('connect', resolve));
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await broker?.stop();
  });

  // Each test has its own share group: Mosquitto keeps routing a share of the stream to an
  // offline persistent member and holds it until that client id returns (it does not redispatch),
  // which would starve the next test.
  const consumer = (
    clientId: string,
    onBatch: (messages: InboundMessage[]) => Promise<void>,
    maxHeld = 400,
    flushMs = 5,
  ) =>
    new HeldAckMqttConsumer({
      url: broker.url,
      clientId,
      filters: [filter],
      shareGroup: `g${clientId.slice(5)}`,
      batchSize: 100,
      flushMs,
      maxHeld,
      onBatch,
      logger,
    });

  const forceDisconnect = async (c: HeldAckMqttConsumer) => {
    const client = (c as unknown as { client: MqttClient }).client;
    await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  };

  it('has the broker redeliver messages whose batch never committed', async () => {
    const clientId = `held-${randomBytes(4).toString('hex')}`;
    const seen: string[] = [];
    // The first batch never commits, so no later batch starts: all five must be in it. A
    // 5 ms flush split them whenever the five round trips took longer (a loaded CI machine).
    const first = consumer(
      clientId,
      async (messages) => {
        seen.push(...messages.map((m) => m.payload.toString()));
        await new Promise(() => undefined); // the commit never finishes, as if the database hung
      },
      400,
      2000,
    );
    await first.start();
    try {
      for (let i = 0; i < 5; i++) await publisher.publishAsync('held-test/d1/readings', `m${i}`, { qos: 1 });
      await waitFor(() => seen.length === 5, { what: 'first delivery' });
    } finally {
      // Also on failure: a client left reconnecting outlives the suite and breaks the next ones.
      await forceDisconnect(first);
    }

    const redelivered: string[] = [];
    const second = consumer(clientId, (messages) => {
      redelivered.push(...messages.map((m) => m.payload.toString()));
      return Promise.resolve();
    });
    await second.start();
    await waitFor(() => redelivered.length === 5, { what: 'redelivery' });
    expect(redelivered).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    await second.stop();
  });

  it('acknowledges committed batches, in order, so nothing comes back after a reconnect', async () => {
    const clientId = `held-${randomBytes(4).toString('hex')}`;
    const committed: string[] = [];
    const first = consumer(clientId, async (messages) => {
      await sleep(20);
      committed.push(...messages.map((m) => m.payload.toString()));
    });
    await first.start();
    const sent = Array.from({ length: 300 }, (_, i) => `c${i}`);
    await Promise.all(
      sent.map((payload) => publisher.publishAsync('held-test/d2/readings', payload, { qos: 1 })),
    );
    await waitFor(() => committed.length === sent.length, { what: 'all committed' });
    expect(committed).toEqual(sent);
    await sleep(200);
    await forceDisconnect(first);

    const again: string[] = [];
    const second = consumer(clientId, (messages) => {
      again.push(...messages.map((m) => m.payload.toString()));
      return Promise.resolve();
    });
    await second.start();
    await sleep(1000);
    expect(again).toEqual([]);
    await second.stop();
  });

  // Mosquitto 2.0.11 lets far more than receiveMaximum into flight once a backlog is queued
  // (each PUBACK for the oldest in-flight message moves up to receiveMaximum queued messages
  // into flight), so only the consumer's own bound keeps what it holds in check.
  it('holds at most maxHeld messages while draining a 20,000-message backlog, committing each once, in order', async () => {
    const clientId = `held-${randomBytes(4).toString('hex')}`;
    const maxHeld = 500;
    // 1. Subscribe once, so that the persistent session exists, and go away.
    const subscriber = consumer(clientId, () => Promise.resolve(), maxHeld);
    await subscriber.start();
    await subscriber.stop();

    // 2. The backlog forms in that session's queue at the broker.
    const sent = Array.from({ length: 20_000 }, (_, i) => `b${i}`);
    for (let i = 0; i < sent.length; i += 1000)
      await Promise.all(
        sent.slice(i, i + 1000).map((p) => publisher.publishAsync('held-test/d3/readings', p, { qos: 1 })),
      );

    // 3. A slow consumer drains it; what it holds is sampled throughout.
    const committed: string[] = [];
    let heldSampled = 0;
    const draining: HeldAckMqttConsumer = consumer(
      clientId,
      async (messages) => {
        heldSampled = Math.max(heldSampled, draining.held);
        await sleep(10);
        committed.push(...messages.map((m) => m.payload.toString()));
      },
      maxHeld,
    );
    const sampler = setInterval(() => (heldSampled = Math.max(heldSampled, draining.held)), 1);
    try {
      await draining.start();
      await waitFor(() => committed.length >= sent.length, { what: 'backlog committed', timeoutMs: 60_000 });
      await sleep(300); // the last PUBACKs reach the broker
    } finally {
      clearInterval(sampler);
      await forceDisconnect(draining);
    }
    expect(heldSampled).toBeLessThanOrEqual(maxHeld);
    expect(draining.peakHeld).toBeLessThanOrEqual(maxHeld);
    // The backlog did press against the bound: it was reached, not merely never approached.
    expect(draining.peakHeld).toBe(maxHeld);
    expect(committed.length).toBe(sent.length);
    expect(committed).toEqual(sent);

    const again: string[] = [];
    const after = consumer(
      clientId,
      (messages) => {
        again.push(...messages.map((m) => m.payload.toString()));
        return Promise.resolve();
      },
      maxHeld,
    );
    try {
      await after.start();
      await sleep(1500);
    } finally {
      await after.stop();
    }
    expect(again).toEqual([]);
  });

  // Mosquitto 2.0.11 restores a persisted session's shared subscription in a state that
  // receives nothing until the client subscribes again; mqtt.js sends no SUBSCRIBE for a
  // session the broker kept unless told to. Last: it restarts the suite's broker.
  it('keeps receiving on its shared subscription after the broker restarts with its session', async () => {
    const clientId = `held-${randomBytes(4).toString('hex')}`;
    const received: string[] = [];
    const c = consumer(clientId, (messages) => {
      received.push(...messages.map((m) => m.payload.toString()));
      return Promise.resolve();
    });
    await c.start();
    try {
      await publisher.publishAsync('held-test/d4/readings', 'before', { qos: 1 });
      await waitFor(() => received.includes('before'), { what: 'the message before the restart' });
      // SIGTERM: Mosquitto saves every session as it exits, so this one is restored.
      await broker.restart('SIGTERM');
      await waitFor(() => c.connected && publisher.connected, {
        what: 'both clients back',
        timeoutMs: 10_000,
      });
      await sleep(300); // the SUBSCRIBE that follows the CONNACK
      await publisher.publishAsync('held-test/d4/readings', 'after', { qos: 1 });
      await waitFor(() => received.includes('after'), { what: 'the message after the restart' });
    } finally {
      await c.stop();
    }
  });

  it('refuses its own publishes past maxPublishing waiting for the broker, instead of piling them up', async () => {
    const c = consumer(`held-${randomBytes(4).toString('hex')}`, () => Promise.resolve(), 3);
    await c.start();
    const limit = maxPublishing(3);
    const pid = broker.pid!;
    process.kill(pid, 'SIGSTOP');
    let waiting: Array<Promise<void>> = [];
    try {
      // A broker that does not answer (stopped here; congested in production) holds these.
      waiting = Array.from({ length: limit }, (_, i) => c.publish(`held-test/receipts/${i}`, `r${i}`));
      await expect(c.publish('held-test/receipts/over', 'over')).rejects.toThrow(
        new RegExp(`${limit} publishes already wait for the broker`),
      );
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await Promise.all(waiting);
    // Once the broker has acknowledged them, publishing works again.
    await c.publish('held-test/receipts/5', 'r5');
    await c.stop();
  });
});
