import type { DeviceMessageV1 } from '@homeward/contracts';

export interface OutboxEntry {
  readonly message: DeviceMessageV1;
  /** The exact bytes sent each time, so a republish repeats messageId and measuredAt. */
  readonly payload: string;
  readonly enqueuedAt: number;
  attempts: number;
  /** Handed to the MQTT client and not yet acknowledged or failed. */
  inFlight: boolean;
  lastSentAt?: number;
}

/**
 * A device's unacknowledged readings, oldest first. Pure bookkeeping: the device decides
 * when to send; this decides what is due.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();

  constructor(private readonly capacity = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** Adds a reading; when full, drops and returns the oldest (a device has finite memory). */
  add(message: DeviceMessageV1, now: number): OutboxEntry | undefined {
    let dropped: OutboxEntry | undefined;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        dropped = this.entries.get(oldest.value);
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(message.messageId, {
      message,
      payload: JSON.stringify(message),
      enqueuedAt: now,
      attempts: 0,
      inFlight: false,
    });
    return dropped;
  }

  get(messageId: string): OutboxEntry | undefined {
    return this.entries.get(messageId);
  }

  markSent(messageId: string, now: number): void {
    const entry = this.entries.get(messageId);
    if (!entry) return;
    entry.attempts += 1;
    entry.inFlight = true;
    entry.lastSentAt = now;
  }

  /** Removes an acknowledged reading; undefined when it was already acknowledged (a duplicate ack). */
  acknowledge(messageId: string): OutboxEntry | undefined {
    const entry = this.entries.get(messageId);
    if (entry) this.entries.delete(messageId);
    return entry;
  }

  /** The client gave the reading back unsent or unacknowledged: it is due again. */
  markFailed(messageId: string): void {
    const entry = this.entries.get(messageId);
    if (entry) entry.inFlight = false;
  }

  /**
   * After a reconnect the MQTT client resends its own in-flight packets; restart their clocks
   * so they are not also counted as stale.
   */
  restartInFlightClocks(now: number): void {
    for (const entry of this.entries.values()) if (entry.inFlight) entry.lastSentAt = now;
  }

  /** Readings to (re)publish now: never sent, failed, or in flight longer than `staleAfterMs`. */
  due(now: number, staleAfterMs: number): OutboxEntry[] {
    return [...this.entries.values()].filter(
      (e) => !e.inFlight || (e.lastSentAt !== undefined && now - e.lastSentAt >= staleAfterMs),
    );
  }

  messageIds(): string[] {
    return [...this.entries.keys()];
  }
}
