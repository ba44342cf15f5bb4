import { connect, type IClientOptions, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import type { Logger } from 'pino';

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
  /** Topic filter, without any `$share/` prefix. */
  filter: string;
  /** Shared-subscription group; empty subscribes to the plain filter (brokers without shared subscriptions). */
  shareGroup: string;
  batchSize: number;
  flushMs: number;
  /** Stores a batch durably; throwing keeps the batch and retries it. */
  onBatch: (messages: InboundMessage[]) => Promise<void>;
  logger: Logger;
}

interface AckSlot {
  generation: number;
  messageId: number;
  committed: boolean;
  puback?: Packet;
}

interface Pending {
  message: InboundMessage;
  slot?: AckSlot;
}

type SendPacket = (packet: Packet, cb?: (error?: Error) => void, ...rest: unknown[]) => void;

const SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;
const MAX_RETRY_DELAY_MS = 5000;

/**
 * MQTT consumer that acknowledges a QoS 1 message to the broker only after the batch holding
 * it is committed, so a crash means redelivery, never loss.
 *
 * 1. mqtt.js sends the PUBACK as soon as `handleMessage` calls back, and hands over the next
 *    message only after that PUBACK is written. Calling back after each commit would allow
 *    one message per flush, so `handleMessage` calls back at once ...
 * 2. ... and the PUBACK it produces is caught in the client's packet writer and held.
 * 3. When a batch commits, held PUBACKs are released from the head of the arrival-order
 *    queue: MQTT requires QoS 1 acknowledgements in the order the messages arrived.
 * 4. A reconnect drops every held PUBACK: the persistent session makes the broker redeliver
 *    those messages, and storage is idempotent.
 * This leans on mqtt.js internals (`handleMessage`, `_sendPacket`): the version is pinned and
 * test/ingest-acknowledgement.e2e-spec.ts fails if the behaviour changes.
 */
export class HeldAckMqttConsumer {
  private client?: MqttClient;
  private generation = 0;
  private readonly ackQueue: AckSlot[] = [];
  private readonly heldById = new Map<number, AckSlot>();
  private pending: Pending[] = [];
  private flushTimer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private stopped = false;
  private retryDelayMs = 100;
  /** The client's own packet writer, for held PUBACKs; set when the client is created. */
  private releaseAck: (packet: Packet) => void = () => undefined;

  constructor(private readonly options: HeldAckConsumerOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
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
      ...(protocolVersion === 5
        ? {
            properties: {
              sessionExpiryInterval: SESSION_EXPIRY_SECONDS,
              receiveMaximum: Math.min(65535, options.batchSize * 4),
            },
          }
        : {}),
    };
    const client = connect(options.url, clientOptions);
    this.client = client;
    this.interceptPubacks(client);
    client.handleMessage = (packet, callback) => {
      this.accept(packet);
      callback();
    };
    const topic = options.shareGroup ? `$share/${options.shareGroup}/${options.filter}` : options.filter;
    client.on('connect', (connack) => {
      // A new connection: acknowledgements held for the old one can no longer be sent.
      this.generation += 1;
      this.ackQueue.length = 0;
      this.heldById.clear();
      options.logger.info({ topic, sessionPresent: connack.sessionPresent }, 'MQTT consumer connected');
      if (!connack.sessionPresent) {
        client.subscribe(topic, { qos: 1 }, (error) => {
          if (error) options.logger.error({ err: error, topic }, 'MQTT subscribe failed');
        });
      }
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
  }

  /** Flushes what is buffered, then disconnects; unflushed messages are redelivered later. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flushing;
    if (this.pending.length > 0) await this.flush().catch(() => undefined);
    await this.client?.endAsync();
  }

  private interceptPubacks(client: MqttClient): void {
    const internals = client as unknown as { _sendPacket: SendPacket };
    const send = internals._sendPacket.bind(client);
    if (typeof send !== 'function') throw new Error('mqtt.js internals changed: _sendPacket missing');
    internals._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd === 'puback' && packet.messageId !== undefined) {
        const slot = this.heldById.get(packet.messageId);
        if (slot && !slot.committed) {
          slot.puback = packet;
          cb?.();
          return;
        }
      }
      send(packet, cb, ...rest);
    };
    this.releaseAck = (packet) => send(packet);
  }

  private accept(packet: IPublishPacket): void {
    const message: InboundMessage = {
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      receivedAt: new Date(),
    };
    let slot: AckSlot | undefined;
    if (packet.qos === 1 && packet.messageId !== undefined) {
      slot = { generation: this.generation, messageId: packet.messageId, committed: false };
      this.ackQueue.push(slot);
      this.heldById.set(packet.messageId, slot);
    }
    this.pending.push({ message, slot });
    if (this.pending.length >= this.options.batchSize) this.scheduleFlush(0);
    else this.scheduleFlush(this.options.flushMs);
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushing) return;
    if (this.flushTimer && delayMs > 0) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushing = this.flush()
        .then(() => {
          this.retryDelayMs = 100;
        })
        .catch((error: unknown) => {
          this.options.logger.error(
            { err: error, retryInMs: this.retryDelayMs },
            'Ingest batch failed; retrying, nothing acknowledged',
          );
          this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_DELAY_MS);
          return new Promise<void>((resolve) => setTimeout(resolve, this.retryDelayMs));
        })
        .finally(() => {
          this.flushing = undefined;
          if (this.pending.length > 0 && !this.stopped) this.scheduleFlush(0);
        });
    }, delayMs);
  }

  private async flush(): Promise<void> {
    const batch = this.pending.slice(0, this.options.batchSize);
    if (batch.length === 0) return;
    await this.options.onBatch(batch.map((entry) => entry.message));
    // Committed: only now may the broker forget these messages.
    this.pending = this.pending.slice(batch.length);
    for (const entry of batch) if (entry.slot) entry.slot.committed = true;
    this.releaseCommittedAcks();
  }

  private releaseCommittedAcks(): void {
    while (this.ackQueue.length > 0 && this.ackQueue[0].committed) {
      const slot = this.ackQueue.shift()!;
      this.heldById.delete(slot.messageId);
      if (slot.generation === this.generation && slot.puback && this.client?.connected)
        this.releaseAck(slot.puback);
    }
  }
}
