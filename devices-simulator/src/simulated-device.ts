import {
  bleTopic,
  commandsTopic,
  readingsTopic,
  receiptsTopic,
  statusTopic,
  type DeviceCommandV1,
  type DeviceMessageV1,
} from '@homeward/contracts';
import { encodeBleMeasurements } from './ble-encoder';
import { DeliveryStats, parseReceipt } from './delivery-stats';
import type { ResolvedDevice } from './devices-file';
import { hubBatchPayload, planUploads } from './hub-batching';
import type { Logger } from './logger';
import { breakMessage, type MalformedKind } from './malformed';
import { mqttTransport, type DeviceTransport, type TransportFactory } from './mqtt-transport';
import { Outbox, type MessageChannel, type OutboxEntry, type OutgoingMessage } from './outbox';
import { formatMeasuredAt, type ReadingGenerator } from './reading-generator';
import { createSeededRandom, hashSeed, type SeededRandom } from './seeded-random';

function channelTopic(channel: MessageChannel, deviceId: string): string {
  switch (channel) {
    case 'readings':
      return readingsTopic(deviceId);
    case 'ble':
      return bleTopic(deviceId);
    case 'status':
      return statusTopic(deviceId);
  }
}

export interface HubOptions {
  /** Online this long between outages. */
  onlineMs: number;
  /** Each outage lasts this long; readings are buffered and uploaded as batches afterwards. */
  offlineMs: number;
}

export interface SimulatedDeviceOptions {
  device: ResolvedDevice;
  generator: ReadingGenerator;
  /** Mean time between measurements; undefined when something else paces it (load mode). */
  intervalMs?: number;
  seed: string;
  logger: Logger;
  /** Shared by every device of a run. */
  stats?: DeliveryStats;
  /** Stop measuring after this many readings. */
  count?: number;
  transport?: TransportFactory;
  now?: () => Date;
  /**
   * Monotonic milliseconds for the outbox's clocks and the latencies (default performance.now(),
   * sub-millisecond, unaffected by wall-clock steps).
   */
  clock?: () => number;
  /** Republish a message still unacknowledged this long after it was sent on a live connection. */
  staleAfterMs?: number;
  /**
   * Wait for the platform's receipt and republish when none came this long after the PUBACK.
   * Undefined: --no-receipts, a message leaves the outbox on PUBACK.
   */
  receiptTimeoutMs?: number;
  outboxCapacity?: number;
  /** Publish measurements as raw Bluetooth LE characteristic values to the ble topic. */
  ble?: boolean;
  /** Fraction (0..1) of measurements deliberately broken, cycling through `malformedKinds`. */
  malformedFraction?: number;
  malformedKinds?: readonly MalformedKind[];
  /** Publish a status message (battery, firmware, signal) this often. */
  statusIntervalMs?: number;
  /** Applies to `hub` devices only: outages, then the backlog in batches. */
  hub?: HubOptions;
  /** Log a line per receipt (debug level). */
  logReceipts?: boolean;
  /** Answers a `remeasure` command after this long, measuring nothing meanwhile; undefined: at once. */
  remeasureDelayMs?: number;
}

export interface DeviceSummary {
  deviceId: string;
  measured: number;
  acknowledged: number;
  republished: number;
  /** messageIds still in the outbox when the device stopped. */
  unacknowledged: string[];
}

/** The first reading goes out within a couple of seconds, so a demo shows data at once. */
const FIRST_READING_MS = { min: 200, max: 2000 };
const INTERVAL_JITTER = 0.15;
const RETRY_AFTER_FAILURE_MS = 1000;
/** How long firmware waits before sending a message the platform refused as `rate_limited` again. */
const RATE_LIMITED_RETRY_MS = 60_000;
/** How often due messages are looked for, so receipt timeouts fire without a new measurement. */
const RESEND_CHECK_MS = 1000;
/** Repeated identical connection errors are logged once, then every Nth time. */
const ERROR_LOG_EVERY = 30;

/**
 * One simulated device: measures on a jittered schedule and publishes through an outbox,
 * behaving as the device contract asks firmware to:
 * 1. Every message enters the outbox before it is published. It leaves when the platform's
 *    receipt arrives (stored, duplicate or rejected: a rejected one is logged and dropped), or,
 *    with --no-receipts, on PUBACK. A PUBACK only says the broker has it (see mosquitto.conf(5):
 *    autosave, max_queued_messages).
 * 2. While disconnected (or a hub is offline) nothing is published; messages wait in the outbox.
 * 3. On reconnect, mqtt.js resends the QoS 1 packets it already had in flight (same bytes);
 *    the outbox publishes everything else it holds, including what the broker acknowledged but
 *    the platform never receipted. A message with no receipt within the receipt timeout is
 *    published again.
 * 4. A republish repeats the exact payload, so messageId and measuredAt are unchanged and the
 *    platform's de-duplication makes it harmless (its receipt then says `duplicate`).
 */
export class SimulatedDevice {
  readonly deviceId: string;
  /** Resolves once `count` readings are measured and all settled (never without `count`). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly outbox: Outbox;
  private readonly timing: SeededRandom;
  private readonly faults: SeededRandom;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly clock: () => number;
  private readonly staleAfterMs: number;
  private readonly stats: DeliveryStats;
  private transport?: DeviceTransport;
  private measureTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private resendTimer?: NodeJS.Timeout;
  private statusTimer?: NodeJS.Timeout;
  private hubTimer?: NodeJS.Timeout;
  private drainWaiters: (() => void)[] = [];
  private online = false;
  /** A hub in one of its outages: it measures but does not publish. */
  private hubOffline = false;
  private connections = 0;
  private stopping = false;
  private acknowledged = 0;
  private republished = 0;
  private brokenCount = 0;
  private statusCount = 0;
  private bleSequence = 0;
  /** Devices start at different kinds, so a short run with several devices shows most of them. */
  private readonly malformedOffset: number;
  private readonly startedAt: number;
  private readonly battery: { start: number; drainPerHour: number };
  private lastError?: { message: string; repeats: number };
  private readonly commandsSeen = new Set<string>();

  constructor(private readonly options: SimulatedDeviceOptions) {
    this.deviceId = options.device.id;
    this.outbox = new Outbox(options.outboxCapacity);
    this.timing = createSeededRandom(`${options.seed}|timing|${options.device.id}`);
    this.faults = createSeededRandom(`${options.seed}|faults|${options.device.id}`);
    this.log = options.logger.child({ deviceId: options.device.id, kind: options.device.kind });
    this.now = options.now ?? (() => new Date());
    this.clock = options.clock ?? (() => performance.now());
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.stats = options.stats ?? new DeliveryStats();
    this.startedAt = this.now().getTime();
    const device = createSeededRandom(`${options.seed}|hardware|${options.device.id}`);
    this.battery = { start: device.uniform(55, 100), drainPerHour: device.uniform(0.2, 1.5) };
    this.malformedOffset = hashSeed(options.device.id) % 997;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  private get receiptsOn(): boolean {
    return this.options.receiptTimeoutMs !== undefined;
  }

  private get isBatchingHub(): boolean {
    return this.options.device.kind === 'hub' && this.options.hub !== undefined;
  }

  /** Messages published to the outbox and not yet settled. */
  get pending(): number {
    return this.outbox.size;
  }

  get isOnline(): boolean {
    return this.online;
  }

  start(): void {
    const { device } = this.options;
    this.log.info('device connecting', {
      mqttUrl: device.mqttUrl,
      patientId: device.patientId,
      label: device.label,
    });
    this.transport = (this.options.transport ?? mqttTransport)(device, {
      connect: () => this.onConnect(),
      close: () => this.onClose(),
      error: (error) => this.onError(error),
    });
    this.transport.subscribe?.(commandsTopic(device.id), (payload) => this.onCommand(payload));
    if (this.receiptsOn) {
      this.transport.subscribe?.(receiptsTopic(device.id), (payload) => this.onReceipt(payload));
      this.resendTimer = setInterval(() => this.flush(), RESEND_CHECK_MS);
    }
    if (this.options.intervalMs !== undefined) {
      this.scheduleMeasurement(this.timing.uniform(FIRST_READING_MS.min, FIRST_READING_MS.max));
    }
    if (this.options.statusIntervalMs !== undefined) {
      const every = this.options.statusIntervalMs;
      this.statusTimer = setInterval(() => this.reportStatus(), every);
    }
    if (this.isBatchingHub) this.scheduleHubOutage();
  }

  /** Stops measuring, gives unsettled messages up to `drainTimeoutMs`, then disconnects. */
  async stop(drainTimeoutMs: number): Promise<DeviceSummary> {
    this.stopping = true;
    clearTimeout(this.measureTimer);
    clearInterval(this.statusTimer);
    clearTimeout(this.hubTimer);
    if (this.hubOffline) this.setHubOffline(false);
    if (this.outbox.size > 0) await this.waitForDrain(drainTimeoutMs);
    clearTimeout(this.retryTimer);
    clearInterval(this.resendTimer);
    const unacknowledged = this.outbox.messageIds();
    if (this.transport) await this.transport.end(unacknowledged.length > 0);
    this.log.info('device stopped', {
      acknowledged: this.acknowledged,
      unacknowledged: unacknowledged.length,
    });
    return {
      deviceId: this.deviceId,
      measured: this.options.generator.produced,
      acknowledged: this.acknowledged,
      republished: this.republished,
      unacknowledged,
    };
  }

  /** Takes one measurement now and publishes it (load mode calls this at its own pace). */
  measureNow(): void {
    if (this.stopping) return;
    const at = this.now();
    const message = this.options.generator.next(at);
    for (const outgoing of this.toOutgoing(message, at)) this.enqueue(outgoing);
    this.flush();
  }

  /** The measurement as the device publishes it: JSON readings, BLE values or a broken message. */
  private toOutgoing(message: DeviceMessageV1, at: Date): OutgoingMessage[] {
    const awaitReceipt = this.receiptsOn;
    const fraction = this.options.malformedFraction ?? 0;
    const kinds = this.options.malformedKinds ?? [];
    // Drawn on every measurement, so the fault stream does not depend on the fraction's history.
    const breakIt = this.faults.next() < fraction && kinds.length > 0;
    if (breakIt) {
      // Cycling through the kinds shows every kind of breakage in a short run.
      const kind = kinds[(this.brokenCount + this.malformedOffset) % kinds.length];
      this.brokenCount += 1;
      const broken = breakMessage(kind, message, at);
      this.stats.recordBroken(kind, this.deviceId, broken.readableMessageId);
      this.log.info('broken message', {
        brokenKind: kind,
        expectedReason: broken.expectedReason,
        messageId: broken.readableMessageId,
        bytes: broken.payload.length,
      });
      return [
        {
          messageId: broken.readableMessageId ?? `${message.messageId}.x`,
          channel: broken.channel,
          payload: broken.payload,
          // Its receipt may not name it (messageId null): it leaves on PUBACK.
          awaitReceipt: false,
          broken: kind,
        },
      ];
    }
    if (this.options.ble) {
      this.bleSequence += 1;
      return encodeBleMeasurements(message, {
        receivedAt: at,
        sequence: this.bleSequence,
        statusBits: this.faults.next() < 0.1,
      }).map((ble) => {
        const messageId = `${message.messageId}.${ble.characteristic.toLowerCase()}`;
        return { messageId, channel: 'ble', payload: JSON.stringify({ messageId, ...ble }), awaitReceipt };
      });
    }
    return [
      {
        messageId: message.messageId,
        channel: 'readings',
        payload: JSON.stringify(message),
        awaitReceipt,
        values: message.readings.length,
      },
    ];
  }

  private enqueue(message: OutgoingMessage): void {
    const dropped = this.outbox.add(message, this.clock());
    this.stats.recordEnqueued(message.channel);
    if (dropped) {
      this.stats.recordDropped();
      this.log.warn('outbox full, oldest message dropped', { messageId: dropped.messageId });
    }
    this.log.info('message queued', {
      messageId: message.messageId,
      channel: message.channel,
      online: this.online && !this.hubOffline,
    });
  }

  /** Battery drains with time, firmware stays, signal wanders (dBm). */
  private reportStatus(): void {
    if (this.stopping) return;
    const at = this.now();
    this.statusCount += 1;
    const hours = (at.getTime() - this.startedAt) / 3_600_000;
    const batteryLevel = Math.max(0, Math.round(this.battery.start - this.battery.drainPerHour * hours));
    const signalStrength = Math.round(-70 + this.timing.normal(0, 8));
    const messageId = `${this.deviceId.slice(0, 8).replace(/[^A-Za-z0-9._:-]/g, '-')}-s${this.statusCount}-${at.getTime().toString(36)}`;
    const payload = JSON.stringify({
      messageId,
      reportedAt: formatMeasuredAt(at),
      firmwareVersion: `sim-${this.options.device.kind}-1.4.2`,
      batteryLevel,
      signalStrength,
    });
    this.enqueue({ messageId, channel: 'status', payload, awaitReceipt: this.receiptsOn });
    this.flush();
  }

  private scheduleHubOutage(): void {
    const hub = this.options.hub;
    if (!hub || this.stopping) return;
    this.hubTimer = setTimeout(() => {
      this.setHubOffline(true);
      this.hubTimer = setTimeout(() => {
        this.setHubOffline(false);
        this.scheduleHubOutage();
      }, hub.offlineMs);
    }, hub.onlineMs);
  }

  private setHubOffline(offline: boolean): void {
    this.hubOffline = offline;
    if (offline) {
      this.log.info('hub offline, buffering', { outbox: this.outbox.size });
      return;
    }
    this.log.info('hub back online, uploading backlog', { outbox: this.outbox.size });
    this.outbox.onReconnect(this.clock());
    this.flush();
  }

  /**
   * `remeasure`: the platform asks for a second measurement to confirm a crisis reading; the
   * simulated patient measures at once, or after `remeasureDelayMs` with no reading meanwhile
   * (any reading would answer it), and the schedule restarts from there. A command seen
   * before (QoS 1 redelivery) or arriving after the last reading is ignored.
   */
  private onCommand(payload: string): void {
    let command: Partial<DeviceCommandV1>;
    try {
      command = JSON.parse(payload) as Partial<DeviceCommandV1>;
    } catch {
      this.log.warn('command is not JSON, ignored', { bytes: payload.length });
      return;
    }
    if (command.command !== 'remeasure' || typeof command.commandId !== 'string') {
      this.log.warn('unknown command, ignored', { command: command.command });
      return;
    }
    if (this.commandsSeen.has(command.commandId)) return;
    this.commandsSeen.add(command.commandId);
    const { count } = this.options;
    if (this.stopping || (count !== undefined && this.options.generator.produced >= count)) return;
    this.log.info('re-measuring on request', { commandId: command.commandId, types: command.types });
    clearTimeout(this.measureTimer);
    const delayMs = this.options.remeasureDelayMs;
    if (delayMs === undefined) this.measure();
    else this.scheduleMeasurement(delayMs);
  }

  /** stored and duplicate settle a message; rejected settles it too, with its reason logged. */
  private onReceipt(payload: string): void {
    const receipt = parseReceipt(payload);
    if (!receipt) {
      this.log.warn('receipt not understood, ignored', { bytes: payload.length });
      return;
    }
    const now = this.clock();
    if (receipt.status === 'rejected' && receipt.reason === 'rate_limited' && receipt.messageId !== null) {
      // Over the device's budget this minute: firmware keeps the message and tries again later.
      if (this.outbox.defer(receipt.messageId, now + RATE_LIMITED_RETRY_MS)) {
        this.log.warn('message refused for now (rate_limited), kept to send again', {
          messageId: receipt.messageId,
        });
        return;
      }
    }
    const entry = receipt.messageId === null ? undefined : this.outbox.settle(receipt.messageId);
    const match = this.stats.recordReceipt(this.deviceId, receipt, {
      matched: entry !== undefined,
      latencyMs: entry?.lastSentAt === undefined ? undefined : now - entry.lastSentAt,
    });
    if (receipt.status === 'rejected') {
      // Firmware logs the reason and drops the message; one we broke on purpose is no surprise.
      const fields = { messageId: receipt.messageId, reason: receipt.reason };
      if (match === 'broken') this.log.info('broken message rejected, as intended', fields);
      else this.log.warn('message rejected by the platform, dropped', fields);
    } else if (this.options.logReceipts) {
      this.log.debug('receipt', {
        messageId: receipt.messageId,
        status: receipt.status,
        held: entry !== undefined,
      });
    }
    if (entry) this.checkDrained();
  }

  private scheduleMeasurement(delayMs: number): void {
    this.measureTimer = setTimeout(() => this.measure(), delayMs);
  }

  private measure(): void {
    if (this.stopping) return;
    this.measureNow();
    const { count, intervalMs } = this.options;
    if (count !== undefined && this.options.generator.produced >= count) {
      this.checkDrained();
      return;
    }
    if (intervalMs === undefined) return;
    const jitter = this.timing.uniform(1 - INTERVAL_JITTER, 1 + INTERVAL_JITTER);
    this.scheduleMeasurement(intervalMs * jitter);
  }

  private flush(): void {
    if (!this.transport?.connected || this.hubOffline) return;
    const due = this.outbox.due(this.clock(), this.staleAfterMs, this.options.receiptTimeoutMs);
    for (const group of planUploads(due, this.isBatchingHub)) this.publish(group);
  }

  private publish(group: readonly OutboxEntry[]): void {
    const first = group[0];
    if (!first) return;
    const now = this.clock();
    for (const entry of group) {
      if (entry.attempts > 0) {
        this.republished += 1;
        this.stats.recordRepublished();
        this.log.info('message republished', { messageId: entry.messageId, attempt: entry.attempts + 1 });
      }
      this.outbox.markSent(entry.messageId, now);
    }
    const ids = group.map((e) => e.messageId);
    let payload = first.payload;
    if (group.length > 1) {
      payload = hubBatchPayload(group);
      this.stats.recordBatch();
      this.log.info('hub batch published', { messages: group.length, bytes: payload.length });
    }
    this.transport?.publish(channelTopic(first.channel, this.deviceId), payload, (error) =>
      this.onPublishDone(ids, now, error),
    );
  }

  private onPublishDone(messageIds: readonly string[], sentAt: number, error: Error | undefined): void {
    if (error) {
      messageIds.forEach((id) => this.outbox.markFailed(id));
      this.log.warn('message not acknowledged, kept in outbox', { messageIds, err: error });
      if (!this.stopping || this.drainWaiters.length > 0) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.flush(), RETRY_AFTER_FAILURE_MS);
      }
      return;
    }
    const now = this.clock();
    for (const messageId of messageIds) {
      const acked = this.outbox.acknowledge(messageId, now);
      // Undefined: a second PUBACK for a message republished as stale, or one already receipted.
      if (!acked) continue;
      this.acknowledged += 1;
      this.stats.recordAck(now - sentAt, acked.entry.values);
      this.log.info('message acknowledged', {
        messageId,
        latencyMs: now - acked.entry.enqueuedAt,
        attempts: acked.entry.attempts,
        awaitingReceipt: !acked.settled,
      });
    }
    this.checkDrained();
  }

  private onConnect(): void {
    this.connections += 1;
    this.online = true;
    this.lastError = undefined;
    this.log.info(this.connections === 1 ? 'device connected' : 'device reconnected', {
      outbox: this.outbox.size,
    });
    this.outbox.onReconnect(this.clock());
    this.flush();
  }

  private onClose(): void {
    if (!this.online) return; // a failed reconnect attempt, already reported
    this.online = false;
    if (!this.stopping) this.log.warn('device disconnected', { outbox: this.outbox.size });
  }

  private onError(error: Error): void {
    // While disconnecting, mqtt.js may still try to acknowledge a late receipt or command.
    if (this.stopping) {
      this.log.debug('mqtt error while stopping', { err: error });
      return;
    }
    const repeats = this.lastError?.message === error.message ? this.lastError.repeats + 1 : 1;
    this.lastError = { message: error.message, repeats };
    if (repeats === 1 || repeats % ERROR_LOG_EVERY === 0) {
      this.log.warn('mqtt error', { err: error, repeats });
    }
  }

  private checkDrained(): void {
    if (this.outbox.size > 0) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
    const { count } = this.options;
    if (count !== undefined && this.options.generator.produced >= count) this.resolveDone();
  }

  private waitForDrain(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.drainWaiters = this.drainWaiters.filter((w) => w !== finish);
        resolve();
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.drainWaiters.push(finish);
      this.flush();
    });
  }
}
