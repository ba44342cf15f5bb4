import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import pino from 'pino';
import { HeldAckMqttConsumer, type InboundMessage } from '@homeward/messaging';
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
  // offline persistent member (TRAPS.md 6), which would starve the next test.
  const consumer = (clientId: string, onBatch: (messages: InboundMessage[]) => Promise<void>) =>
    new HeldAckMqttConsumer({
      url: broker.url,
      clientId,
      filter,
      shareGroup: `g${clientId.slice(5)}`,
      batchSize: 100,
      flushMs: 5,
      maxHeld: 400,
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
    const first = consumer(clientId, async (messages) => {
      seen.push(...messages.map((m) => m.payload.toString()));
      await new Promise(() => undefined); // the commit never finishes, as if the database hung
    });
    await first.start();
    for (let i = 0; i < 5; i++) await publisher.publishAsync('held-test/d1/readings', `m${i}`, { qos: 1 });
    await waitFor(() => seen.length === 5, { what: 'first delivery' });
    await forceDisconnect(first);

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
});
