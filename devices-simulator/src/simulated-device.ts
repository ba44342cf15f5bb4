import { commandsTopic, readingsTopic, type DeviceCommandV1 } from '@homeward/contracts';
import type { ResolvedDevice } from './devices-file';
import type { Logger } from './logger';
import { mqttTransport, type DeviceTransport, type TransportFactory } from './mqtt-transport';
import { Outbox, type OutboxEntry } from './outbox';
import type { ReadingGenerator } from './reading-generator';
import { createSeededRandom, type SeededRandom } from './seeded-random';

export interface SimulatedDeviceOptions {
  device: ResolvedDevice;
  generator: ReadingGenerator;
  intervalMs: number;
  seed: string;
  logger: Logger;
  /** Stop measuring after this many readings. */
  count?: number;
  transport?: TransportFactory;
  now?: () => Date;
  /** Republish a reading still unacknowledged this long after it was sent on a live connection. */
  staleAfterMs?: number;
  outboxCapacity?: number;
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
/** Repeated identical connection errors are logged once, then every Nth time. */
const ERROR_LOG_EVERY = 30;

/**
 * One simulated device: measures on a jittered schedule and publishes through an outbox.
 *
 * Delivery, as a real device should do it over MQTT 3.1.1:
 * 1. Every reading enters the outbox before it is published, and leaves it only on PUBACK.
 * 2. While disconnected nothing is published; readings wait in the outbox.
 * 3. On reconnect, mqtt.js resends the QoS 1 packets it already had in flight (same bytes);
 *    the outbox publishes everything else it holds: never sent, or handed back with an error.
 * 4. A republish repeats the exact payload, so messageId and measuredAt are unchanged and the
 *    platform's de-duplication on (device, messageId, measuredAt) makes it harmless.
 */
export class SimulatedDevice {
  readonly deviceId: string;
  /** Resolves once `count` readings are measured and all acknowledged (never without `count`). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly outbox: Outbox;
  private readonly timing: SeededRandom;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly topic: string;
  private readonly staleAfterMs: number;
  private transport?: DeviceTransport;
  private measureTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private drainWaiters: (() => void)[] = [];
  private online = false;
  private connections = 0;
  private stopping = false;
  private acknowledged = 0;
  private republished = 0;
  private lastError?: { message: string; repeats: number };
  private readonly commandsSeen = new Set<string>();

  constructor(private readonly options: SimulatedDeviceOptions) {
    this.deviceId = options.device.id;
    this.outbox = new Outbox(options.outboxCapacity);
    // Timing has its own random stream so jitter never changes the readings' values.
    this.timing = createSeededRandom(`${options.seed}|timing|${options.device.id}`);
    this.log = options.logger.child({ deviceId: options.device.id, kind: options.device.kind });
    this.now = options.now ?? (() => new Date());
    this.topic = readingsTopic(options.device.id);
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
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
    this.scheduleMeasurement(this.timing.uniform(FIRST_READING_MS.min, FIRST_READING_MS.max));
  }

  /** Stops measuring, gives unacknowledged readings up to `drainTimeoutMs`, then disconnects. */
  async stop(drainTimeoutMs: number): Promise<DeviceSummary> {
    this.stopping = true;
    clearTimeout(this.measureTimer);
    if (this.outbox.size > 0) await this.waitForDrain(drainTimeoutMs);
    clearTimeout(this.retryTimer);
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

  /**
   * `remeasure`: the platform asks for a second measurement to confirm a crisis reading; the
   * simulated patient measures at once (and the schedule restarts from there). A command seen
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
    this.measure();
  }

  private scheduleMeasurement(delayMs: number): void {
    this.measureTimer = setTimeout(() => this.measure(), delayMs);
  }

  private measure(): void {
    if (this.stopping) return;
    const at = this.now();
    const message = this.options.generator.next(at);
    const dropped = this.outbox.add(message, at.getTime());
    if (dropped)
      this.log.warn('outbox full, oldest reading dropped', { messageId: dropped.message.messageId });
    this.log.info('reading measured', {
      messageId: message.messageId,
      measuredAt: message.measuredAt,
      readings: message.readings,
      online: this.online,
    });
    this.flush();
    const { count } = this.options;
    if (count !== undefined && this.options.generator.produced >= count) {
      this.checkDrained();
      return;
    }
    const jitter = this.timing.uniform(1 - INTERVAL_JITTER, 1 + INTERVAL_JITTER);
    this.scheduleMeasurement(this.options.intervalMs * jitter);
  }

  private flush(): void {
    if (!this.transport?.connected) return;
    for (const entry of this.outbox.due(this.now().getTime(), this.staleAfterMs)) this.publish(entry);
  }

  private publish(entry: OutboxEntry): void {
    const { messageId } = entry.message;
    if (entry.attempts > 0) {
      this.republished += 1;
      this.log.info('reading republished', {
        messageId,
        measuredAt: entry.message.measuredAt,
        attempt: entry.attempts + 1,
      });
    }
    this.outbox.markSent(messageId, this.now().getTime());
    this.transport?.publish(this.topic, entry.payload, (error) => this.onPublishDone(messageId, error));
  }

  private onPublishDone(messageId: string, error: Error | undefined): void {
    if (error) {
      this.outbox.markFailed(messageId);
      this.log.warn('reading not acknowledged, kept in outbox', { messageId, err: error });
      if (!this.stopping || this.drainWaiters.length > 0) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.flush(), RETRY_AFTER_FAILURE_MS);
      }
      return;
    }
    const entry = this.outbox.acknowledge(messageId);
    if (!entry) return; // a second PUBACK for a reading republished as stale
    this.acknowledged += 1;
    this.log.info('reading acknowledged', {
      messageId,
      latencyMs: this.now().getTime() - entry.enqueuedAt,
      attempts: entry.attempts,
    });
    this.checkDrained();
  }

  private onConnect(): void {
    this.connections += 1;
    this.online = true;
    this.lastError = undefined;
    this.log.info(this.connections === 1 ? 'device connected' : 'device reconnected', {
      outbox: this.outbox.size,
    });
    this.outbox.restartInFlightClocks(this.now().getTime());
    this.flush();
  }

  private onClose(): void {
    if (!this.online) return; // a failed reconnect attempt, already reported
    this.online = false;
    if (!this.stopping) this.log.warn('device disconnected', { outbox: this.outbox.size });
  }

  private onError(error: Error): void {
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
