import { connect, type MqttClient } from 'mqtt';
import { readingsTopic, receiptsTopic, type DeviceReceiptV1 } from '@homeward/contracts';
import { waitFor } from '@homeward/testing';

/** A device as the contract describes it: its id as username, its secret as password. */
export async function connectDevice(
  url: string,
  device: { id: string; secret: string },
): Promise<MqttClient> {
  const client = connect(url, {
    clientId: `device-${device.id}`,
    username: device.id,
    password: device.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

export async function publishRaw(
  client: MqttClient,
  deviceId: string,
  payload: string | Buffer,
  topic = readingsTopic(deviceId),
): Promise<void> {
  await client.publishAsync(topic, payload, { qos: 1 });
}

export function bpMessage(
  messageId: string,
  systolic: number,
  diastolic: number,
  measuredAt = new Date(),
): string {
  return JSON.stringify({
    messageId,
    measuredAt: measuredAt.toISOString(),
    readings: [
      { type: 'blood_pressure_systolic', value: systolic, unit: 'mm[Hg]' },
      { type: 'blood_pressure_diastolic', value: diastolic, unit: 'mm[Hg]' },
      { type: 'heart_rate', value: 71, unit: '/min' },
    ],
  });
}

/** A message as a device keeps it in its buffer until a receipt settles it. */
export interface BufferedMessage {
  messageId: string;
  /** The message's JSON (a contract v1 message). */
  body: string;
}

export interface ReceiptingDeviceOptions {
  /** Send what is buffered as hub batches of up to this many messages; 0 sends one message a publish. */
  hubBatchSize?: number;
  /** Resend what has had no receipt this long after it was last sent. */
  resendAfterMs?: number;
}

/**
 * A device that keeps the contract's side of receipts: it subscribes to its receipts topic
 * before publishing, keeps every message until a receipt says `stored` or `duplicate`, drops
 * one on `rejected`, and resends what has no receipt after each reconnect and after a timeout.
 * The broker's PUBACK is not the truth and is not waited for.
 */
export class ReceiptingDevice {
  /** Every receipt received, by messageId (several for a message resent). */
  readonly receipts = new Map<string, DeviceReceiptV1[]>();
  /** How often each messageId was published (once per send, in a batch or alone). */
  readonly sends = new Map<string, number>();
  private readonly buffer = new Map<string, { body: string; sentAt: number }>();
  private timer?: NodeJS.Timeout;
  private connects = 0;
  resendRounds = 0;

  private constructor(
    private readonly client: MqttClient,
    readonly deviceId: string,
    private readonly options: Required<ReceiptingDeviceOptions>,
  ) {}

  static async connect(
    url: string,
    device: { id: string; secret: string },
    options: ReceiptingDeviceOptions = {},
  ): Promise<ReceiptingDevice> {
    const client = connect(url, {
      clientId: `device-${device.id}`,
      username: device.id,
      password: device.secret,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 300,
      connectTimeout: 2000,
    });
    const self = new ReceiptingDevice(client, device.id, {
      hubBatchSize: options.hubBatchSize ?? 0,
      resendAfterMs: options.resendAfterMs ?? 5000,
    });
    client.on('message', (topic, payload) => {
      if (topic === receiptsTopic(device.id))
        self.onReceipt(JSON.parse(payload.toString()) as DeviceReceiptV1);
    });
    client.on('error', () => undefined); // reconnects by itself; what was lost is resent
    client.on('connect', () => {
      self.connects += 1;
      // A clean session: subscribe again, then resend whatever has no receipt yet.
      client.subscribe(receiptsTopic(device.id), { qos: 1 }, () => {
        if (self.connects > 1) self.resend(() => true);
      });
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(receiptsTopic(device.id), { qos: 1 });
    self.timer = setInterval(() => {
      const due = Date.now() - self.options.resendAfterMs;
      self.resend((sentAt) => sentAt <= due);
    }, 250);
    return self;
  }

  /** Messages with no `stored` or `duplicate` receipt yet. */
  get unsettled(): number {
    return this.buffer.size;
  }

  /** Buffers the messages and publishes them (as hub batches when so configured). */
  send(messages: BufferedMessage[]): void {
    const now = Date.now();
    for (const { messageId, body } of messages) this.buffer.set(messageId, { body, sentAt: now });
    this.publish(messages);
  }

  /** Resolves once every message sent has a `stored` or `duplicate` receipt. */
  async settled(timeoutMs: number): Promise<void> {
    try {
      await waitFor(() => this.buffer.size === 0, { timeoutMs, intervalMs: 100 });
    } catch {
      throw new Error(
        `${this.buffer.size} messages of ${this.deviceId} still have no receipt after ${timeoutMs} ms (${this.connects} connects, ${this.resendRounds} resend rounds, connected: ${this.client.connected})`,
      );
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.client.endAsync(true);
  }

  private onReceipt(receipt: DeviceReceiptV1): void {
    if (receipt.messageId === null) return;
    const seen = this.receipts.get(receipt.messageId) ?? [];
    seen.push(receipt);
    this.receipts.set(receipt.messageId, seen);
    // stored or duplicate: the platform has it. rejected: resending would not help.
    this.buffer.delete(receipt.messageId);
  }

  private resend(due: (sentAt: number) => boolean): void {
    if (!this.client.connected) return;
    const now = Date.now();
    const again: BufferedMessage[] = [];
    for (const [messageId, entry] of this.buffer) {
      if (!due(entry.sentAt)) continue;
      entry.sentAt = now;
      again.push({ messageId, body: entry.body });
    }
    if (again.length === 0) return;
    this.resendRounds += 1;
    this.publish(again);
  }

  private publish(messages: BufferedMessage[]): void {
    const topic = readingsTopic(this.deviceId);
    const size = this.options.hubBatchSize;
    const payloads =
      size > 0
        ? Array.from({ length: Math.ceil(messages.length / size) }, (_, i) => {
            const part = messages.slice(i * size, (i + 1) * size);
            return `{"messages":[${part.map((m) => m.body).join(',')}]}`;
          })
        : messages.map((m) => m.body);
    for (const { messageId } of messages) this.sends.set(messageId, (this.sends.get(messageId) ?? 0) + 1);
    // The PUBACK only says the broker has it; the receipt, or its absence, decides.
    for (const payload of payloads) this.client.publish(topic, payload, { qos: 1 }, () => undefined);
  }
}
