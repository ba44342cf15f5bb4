/** The device topics a simulated device publishes to (below `v1/devices/{id}/`). */
export type MessageChannel = 'readings' | 'ble' | 'status';

/** One message as the device will send it, whatever its topic. */
export interface OutgoingMessage {
  readonly messageId: string;
  readonly channel: MessageChannel;
  /** The exact bytes sent each time, so a republish repeats messageId and measuredAt. */
  readonly payload: string;
  /**
   * Keep the message until the platform's receipt (stored, duplicate or rejected) arrives. False
   * for deliberately broken messages (a receipt may not name them) and with --no-receipts.
   */
  readonly awaitReceipt: boolean;
  /** Set on a deliberately broken message (--malformed): the kind of breakage. */
  readonly broken?: string;
  /** Measured values a readings message carries: the benchmark compares them with stored rows. */
  readonly values?: number;
}

export type OutboxState =
  /** Never sent, handed back unsent, or due again after a reconnect or receipt timeout. */
  | 'pending'
  /** Handed to the MQTT client, no PUBACK yet. */
  | 'in_flight'
  /** The broker has it (PUBACK); the platform's receipt has not arrived. */
  | 'awaiting_receipt'
  /** Refused for now (`rate_limited`): kept, and sent again at `retryAt`. */
  | 'deferred';

export interface OutboxEntry extends OutgoingMessage {
  readonly enqueuedAt: number;
  attempts: number;
  state: OutboxState;
  /** When it was last handed to the MQTT client. */
  lastSentAt?: number;
  /** When the broker's PUBACK for the last publish arrived. */
  ackedAt?: number;
  /** When a deferred message is due again. */
  retryAt?: number;
}

/** Each further wait for a receipt doubles, up to 16 times the first, so a silent platform is not flooded. */
export function receiptWait(entry: Pick<OutboxEntry, 'attempts'>, receiptTimeoutMs: number): number {
  return receiptTimeoutMs * Math.min(16, 2 ** Math.max(0, entry.attempts - 1));
}

/** When an entry is due (re)publishing: at once when pending, else when its wait runs out. */
function dueTime(e: OutboxEntry, staleAfterMs: number, receiptTimeoutMs: number): number {
  switch (e.state) {
    case 'pending':
      return -Infinity;
    case 'deferred':
      return e.retryAt ?? 0;
    case 'in_flight':
      return (e.lastSentAt ?? -Infinity) + staleAfterMs;
    case 'awaiting_receipt':
      return (e.ackedAt ?? -Infinity) + receiptWait(e, receiptTimeoutMs);
  }
}

/**
 * A device's messages not yet settled, oldest first. Pure bookkeeping: the device decides when
 * to send; this decides what is due. As firmware should, a message leaves only when the
 * platform's receipt arrives: a PUBACK says the broker has it, not that it was stored
 * (a broker drops past its queue limits and loses what it had not saved: mosquitto.conf(5)).
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  /*
   * A device asks what is due after every measurement, with up to hundreds of messages held: a
   * scan of them all each time was the load generator's largest cost. A full scan also finds
   * when the next held message can fall due; until then only pending entries are looked at.
   */
  /** The pending entries, oldest first (may hold entries since sent or settled: filtered on use). */
  private pending: OutboxEntry[] = [];
  /** No in-flight, awaiting or deferred entry is due before this (a lower bound). */
  private timedDueAt = -Infinity;
  /** The timeouts of the last full scan: deadlines depend on them. */
  private scannedWith?: { staleAfterMs: number; receiptTimeoutMs: number };

  constructor(private readonly capacity = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** Adds a message; when full, drops and returns the oldest (a device has finite memory). */
  add(message: OutgoingMessage, now: number): OutboxEntry | undefined {
    let dropped: OutboxEntry | undefined;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        dropped = this.entries.get(oldest.value);
        this.entries.delete(oldest.value);
      }
    }
    const entry: OutboxEntry = { ...message, enqueuedAt: now, attempts: 0, state: 'pending' };
    this.entries.set(message.messageId, entry);
    this.pending.push(entry);
    // A device offline is never asked what is due: what it dropped or sent must not pile up here.
    if (this.pending.length > 2 * this.capacity) this.prunePending();
    return dropped;
  }

  get(messageId: string): OutboxEntry | undefined {
    return this.entries.get(messageId);
  }

  markSent(messageId: string, now: number): void {
    const entry = this.entries.get(messageId);
    if (!entry) return;
    entry.attempts += 1;
    entry.state = 'in_flight';
    entry.lastSentAt = now;
    this.dueNoEarlierThan(now + (this.scannedWith?.staleAfterMs ?? -Infinity));
  }

  /**
   * The broker's PUBACK for the message's latest publish. A message that needs no receipt leaves
   * the outbox (`settled: true`); one that does now waits for its receipt. Undefined when it is
   * no longer here or was not in flight (a PUBACK for an earlier publish of it).
   */
  acknowledge(messageId: string, now: number): { entry: OutboxEntry; settled: boolean } | undefined {
    const entry = this.entries.get(messageId);
    if (!entry || entry.state !== 'in_flight') return undefined;
    if (!entry.awaitReceipt) {
      this.entries.delete(messageId);
      return { entry, settled: true };
    }
    // The receipt clock starts at the PUBACK: the platform cannot commit before the broker has it.
    entry.state = 'awaiting_receipt';
    entry.ackedAt = now;
    const { receiptTimeoutMs } = this.scannedWith ?? { receiptTimeoutMs: -Infinity };
    this.dueNoEarlierThan(now + receiptWait(entry, receiptTimeoutMs));
    return { entry, settled: false };
  }

  /** The platform's receipt: the message leaves the outbox whatever its status. */
  settle(messageId: string): OutboxEntry | undefined {
    const entry = this.entries.get(messageId);
    if (entry) this.entries.delete(messageId);
    return entry;
  }

  /**
   * The platform refused the message for now (`rate_limited`: the device is over its budget this
   * minute): kept, and due again at `retryAt`.
   */
  defer(messageId: string, retryAt: number): OutboxEntry | undefined {
    const entry = this.entries.get(messageId);
    if (!entry) return undefined;
    entry.state = 'deferred';
    entry.retryAt = retryAt;
    this.dueNoEarlierThan(retryAt);
    return entry;
  }

  /** The client gave the message back unsent or unacknowledged: it is due again. */
  markFailed(messageId: string): void {
    const entry = this.entries.get(messageId);
    if (!entry) return;
    entry.state = 'pending';
    this.timedDueAt = -Infinity; // pending out of order: the next call scans everything
  }

  /**
   * After a reconnect: mqtt.js resends its own in-flight packets, so their clocks restart; what
   * the broker had acknowledged but the platform never receipted is sent again now (the broker
   * may have lost it: Mosquitto writes its store only at an autosave).
   */
  onReconnect(now: number): void {
    for (const entry of this.entries.values()) {
      if (entry.state === 'in_flight') entry.lastSentAt = now;
      else if (entry.state === 'awaiting_receipt') entry.state = 'pending';
    }
    this.timedDueAt = -Infinity;
  }

  /**
   * Messages to (re)publish now: pending ones, ones in flight longer than `staleAfterMs`, and
   * ones acknowledged by the broker whose receipt has not come within `receiptTimeoutMs`.
   */
  due(now: number, staleAfterMs: number, receiptTimeoutMs = staleAfterMs): OutboxEntry[] {
    const sameTimeouts =
      this.scannedWith?.staleAfterMs === staleAfterMs &&
      this.scannedWith.receiptTimeoutMs === receiptTimeoutMs;
    if (sameTimeouts && now < this.timedDueAt) {
      this.prunePending();
      return [...this.pending];
    }
    const due: OutboxEntry[] = [];
    let timedDueAt = Infinity;
    for (const e of this.entries.values()) {
      const dueAt = dueTime(e, staleAfterMs, receiptTimeoutMs);
      if (now >= dueAt) due.push(e);
      // One due now stays due until it is sent: the next call scans again.
      if (e.state !== 'pending') timedDueAt = Math.min(timedDueAt, dueAt);
    }
    this.pending = due.filter((e) => e.state === 'pending');
    this.timedDueAt = timedDueAt;
    this.scannedWith = { staleAfterMs, receiptTimeoutMs };
    return due;
  }

  private prunePending(): void {
    this.pending = this.pending.filter((e) => e.state === 'pending' && this.entries.get(e.messageId) === e);
  }

  private dueNoEarlierThan(at: number): void {
    this.timedDueAt = Math.min(this.timedDueAt, at);
  }

  messageIds(): string[] {
    return [...this.entries.keys()];
  }
}
