import {
  connect,
  type IClientOptions,
  type IPublishPacket,
  type ISubscriptionMap,
  type MqttClient,
  type Packet,
} from 'mqtt';
import type { Logger } from 'pino';
import { CommitQueue } from './commit-queue';
import { sendWithoutDelay } from './no-delay';
import { packetLogUnlessDebugging } from './packet-log';

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  receivedAt: Date;
}

export interface HeldAckConsumerOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Topic filters, without any `$share/` prefix. */
  filters: readonly string[];
  /** Shared-subscription group; empty subscribes to the plain filter (brokers without shared subscriptions). */
  shareGroup: string;
  batchSize: number;
  flushMs: number;
  /**
   * Most messages held unacknowledged at once, by weight. Above it the consumer stops reading
   * from the socket (TCP backpressure) whatever the broker sends, so memory stays bounded (the
   * message that crosses it is held too: the peak is below maxHeld plus one message's weight).
   */
  maxHeld: number;
  /**
   * How many messages one MQTT message stands for (a hub batch: those it holds), for batches
   * and `maxHeld`; 1 when not given.
   */
  weightOf?: (message: InboundMessage) => number;
  /** A message to commit without waiting for `flushMs` (see `CommitQueueOptions.isUrgent`). */
  isUrgent?: (message: InboundMessage) => boolean;
  /** Whose message it is, to batch in turns (see `CommitQueueOptions.fairKeyOf`); PUBACKs stay in arrival order. */
  fairKeyOf?: (message: InboundMessage) => string;
  /** Stores a batch durably; throwing keeps the batch and retries it. */
  onBatch: (messages: InboundMessage[]) => Promise<void>;
  logger: Logger;
}

interface AckSlot {
  generation: number;
  messageId: number;
  committed: boolean;
  /** A later message arrived with the same packet id: only the latest may carry the PUBACK. */
  superseded: boolean;
  puback?: Packet;
}

interface Held {
  message: InboundMessage;
  slot?: AckSlot;
}

/**
 * Own publishes that may wait for the broker's PUBACK at once. A commit releases a receipt per
 * message it stored (a drained hub backlog: thousands at once), so the bound is well above what
 * one batch sends; it only stops the unbounded pile-up behind a congested broker (hundreds of
 * thousands, hundreds of MiB, in the full benchmark).
 */
export function maxPublishing(maxHeld: number): number {
  return Math.max(10_000, 10 * maxHeld);
}

type SendPacket = (packet: Packet, cb?: (error?: Error) => void, ...rest: unknown[]) => void;

const SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;

/**
 * MQTT consumer that acknowledges a QoS 1 message to the broker only after the batch holding
 * it is committed, so a crash means redelivery, never loss.
 *
 * 1. mqtt.js sends the PUBACK as soon as `handleMessage` calls back, and hands over the next
 *    message only after that PUBACK is written. Calling back after each commit would allow
 *    one message per flush, so `handleMessage` calls back at once ...
 * 2. ... and every PUBACK mqtt.js writes is caught in the client's packet writer. Only the
 *    release loop below sends PUBACKs: none can leave before its own message is committed.
 * 3. When a batch commits, held PUBACKs are released from the head of the arrival-order
 *    queue: MQTT requires QoS 1 acknowledgements in the order the messages arrived.
 * 4. If the broker reuses a packet id that is still held (a redelivery, or a broker that
 *    counts differently), the earlier slot is superseded: the one PUBACK for that id goes out
 *    when the later message, and so everything before it, is committed.
 * 5. Above `maxHeld` uncommitted messages, `handleMessage` stops calling back: mqtt.js then
 *    reads nothing more from the socket until a batch commits.
 * 6. A reconnect drops every held PUBACK: the persistent session makes the broker redeliver
 *    those messages, and storage is idempotent.
 * This leans on mqtt.js internals (`handleMessage`, `_sendPacket`): the version is pinned and
 * test/held-ack-consumer.e2e-spec.ts fails if the behaviour changes.
 */
export class HeldAckMqttConsumer {
  private client?: MqttClient;
  private generation = 0;
  /** Arrival-order queue of acknowledgement slots; `ackHead` instead of shift(), O(n) on large arrays. */
  private ackQueue: AckSlot[] = [];
  private ackHead = 0;
  private readonly heldById = new Map<number, AckSlot>();
  private readonly queue: CommitQueue<Held>;
  private maxHeldSeen = 0;
  /** Own publishes (receipts) the broker has not acknowledged yet: see `maxPublishing`. */
  private publishing = 0;
  /** The client's own packet writer, for released PUBACKs; set when the client is created. */
  private sendAck: (packet: Packet) => void = () => undefined;

  constructor(private readonly options: HeldAckConsumerOptions) {
    this.queue = new CommitQueue<Held>({
      batchSize: options.batchSize,
      flushMs: options.flushMs,
      commit: (batch) => options.onBatch(batch.map((entry) => entry.message)),
      onCommitted: (batch) => {
        for (const entry of batch) if (entry.slot) entry.slot.committed = true;
        this.releaseCommittedAcks();
      },
      arrivedAt: (entry) => entry.message.receivedAt.getTime(),
      weightOf: options.weightOf && ((entry) => options.weightOf!(entry.message)),
      isUrgent: options.isUrgent && ((entry) => options.isUrgent!(entry.message)),
      fairKeyOf: options.fairKeyOf && ((entry) => options.fairKeyOf!(entry.message)),
      logger: options.logger,
    });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Messages received and not yet committed, by weight. */
  get held(): number {
    return this.queue.weight;
  }

  /** The most messages held at once since start: stays at or below `maxHeld`. */
  get peakHeld(): number {
    return this.maxHeldSeen;
  }

  /** Age of the oldest uncommitted message; grows without bound when ingest is stuck. */
  oldestHeldAgeMs(now = Date.now()): number {
    return this.queue.oldestAgeMs(now);
  }

  async start(): Promise<void> {
    const { options } = this;
    const protocolVersion = options.shareGroup ? 5 : 4;
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      protocolVersion,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      resubscribe: true,
      manualConnect: true,
      ...packetLogUnlessDebugging(),
      ...(protocolVersion === 5
        ? {
            properties: {
              sessionExpiryInterval: SESSION_EXPIRY_SECONDS,
              receiveMaximum: Math.min(65535, options.maxHeld),
            },
          }
        : {}),
    };
    const client = connect(options.url, clientOptions);
    this.client = client;
    this.interceptPubacks(client);
    sendWithoutDelay(client);
    client.handleMessage = (packet, callback) => {
      this.accept(packet);
      if (this.queue.weight < options.maxHeld) return callback();
      void this.queue.whenBelow(options.maxHeld).then(() => callback());
    };
    const topics = options.filters.map((filter) =>
      options.shareGroup ? `$share/${options.shareGroup}/${filter}` : filter,
    );
    // Messages published before the broker has the subscription are not this consumer's (a new
    // share group has no session to queue them in): start() resolves once it has answered.
    let subscribed: () => void = () => undefined;
    const firstSubscription = new Promise<void>((resolve) => (subscribed = resolve));
    client.on('connect', (connack) => {
      // A new connection: acknowledgements held for the old one can no longer be sent.
      this.generation += 1;
      this.ackQueue = [];
      this.ackHead = 0;
      this.heldById.clear();
      // With the session kept, the broker redelivers every unacknowledged message: drop the
      // old copies still waiting so they are not held twice (the batch in flight completes).
      const dropped = connack.sessionPresent
        ? this.queue.drop((entry) => entry.slot !== undefined && entry.slot.generation !== this.generation)
        : 0;
      options.logger.info(
        { topics, sessionPresent: connack.sessionPresent, dropped },
        'MQTT consumer connected',
      );
      // Subscribed on every connect, not only without a session: a session kept from before a
      // filter was added would otherwise never receive it, and Mosquitto 2.0.11 restores a
      // persisted session's shared subscription after a restart in a state that receives
      // nothing until the client subscribes again (reproduced). Subscribing again to a filter
      // the session holds replaces it in place; nothing queued for it is lost. mqtt.js skips a
      // SUBSCRIBE for filters it subscribed before unless `resubscribe` is set in the topic map.
      const subscriptions: ISubscriptionMap = Object.fromEntries(
        topics.map((topic) => [topic, { qos: 1 as const }]),
      );
      subscriptions.resubscribe = true;
      client.subscribe(subscriptions, (error) => {
        if (error) options.logger.error({ err: error, topics }, 'MQTT subscribe failed');
        subscribed();
      });
    });
    client.on('error', (error) => options.logger.error({ err: error }, 'MQTT consumer error'));
    client.on('offline', () => options.logger.warn('MQTT consumer offline'));
    await new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        client.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        client.off('connect', onConnect);
        reject(error);
      };
      client.once('connect', onConnect);
      client.once('error', onError);
      client.connect();
    });
    await firstSubscription;
  }

  /**
   * Publishes QoS 1 on the consumer's own connection (the platform's service account) and
   * resolves on the broker's PUBACK. Fails at once when not connected, or when
   * `maxPublishing(maxHeld)` publishes already wait for their PUBACK: nothing piles up in this
   * process for a broker that is away or far behind (a device without its receipt resends and
   * is told `duplicate`).
   */
  async publish(topic: string, payload: string): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new Error('not connected to the broker');
    // The broker acknowledges these at its own pace; behind a congested broker mqtt.js would keep
    // every one in memory (a receipt per message: hundreds of MiB in a minute at full load).
    if (this.publishing >= maxPublishing(this.options.maxHeld))
      throw new Error(`${this.publishing} publishes already wait for the broker's acknowledgement`);
    this.publishing += 1;
    try {
      await client.publishAsync(topic, payload, { qos: 1 });
    } finally {
      this.publishing -= 1;
    }
  }

  /** Commits what is held, then disconnects; uncommitted messages are redelivered later. */
  async stop(): Promise<void> {
    await this.queue.stop();
    await this.client?.endAsync();
  }

  private interceptPubacks(client: MqttClient): void {
    const internals = client as unknown as { _sendPacket: SendPacket };
    const send = internals._sendPacket.bind(client);
    if (typeof send !== 'function') throw new Error('mqtt.js internals changed: _sendPacket missing');
    internals._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd === 'puback') {
        // Kept for the release loop; a PUBACK for an id no longer held (a callback that ran
        // after a reconnect) is dropped, since the id may now name another message.
        const slot = packet.messageId === undefined ? undefined : this.heldById.get(packet.messageId);
        if (slot) slot.puback = packet;
        cb?.();
        return;
      }
      send(packet, cb, ...rest);
    };
    this.sendAck = (packet) => send(packet);
  }

  private accept(packet: IPublishPacket): void {
    const message: InboundMessage = {
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      receivedAt: new Date(),
    };
    let slot: AckSlot | undefined;
    if (packet.qos === 1 && packet.messageId !== undefined) {
      slot = {
        generation: this.generation,
        messageId: packet.messageId,
        committed: false,
        superseded: false,
      };
      const earlier = this.heldById.get(packet.messageId);
      if (earlier) {
        earlier.superseded = true;
        this.options.logger.warn(
          { messageId: packet.messageId, dup: packet.dup },
          'Broker reused a packet id that is still held; one PUBACK will follow both commits',
        );
      }
      this.ackQueue.push(slot);
      this.heldById.set(packet.messageId, slot);
    }
    this.queue.add({ message, slot });
    if (this.queue.weight > this.maxHeldSeen) this.maxHeldSeen = this.queue.weight;
  }

  private releaseCommittedAcks(): void {
    const queue = this.ackQueue;
    while (this.ackHead < queue.length && queue[this.ackHead].committed) {
      const slot = queue[this.ackHead++];
      if (slot.superseded || slot.generation !== this.generation) continue;
      this.heldById.delete(slot.messageId);
      if (this.client?.connected) this.sendAck(slot.puback ?? { cmd: 'puback', messageId: slot.messageId });
    }
    // Compact now and then, so the array does not grow for the life of the connection.
    if (this.ackHead > 1024 && this.ackHead * 2 > queue.length) {
      this.ackQueue = queue.slice(this.ackHead);
      this.ackHead = 0;
    }
  }
}
