import type { MessageChannel } from './outbox';

export const RECEIPT_STATUSES = ['stored', 'duplicate', 'rejected'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** What the platform publishes QoS 1 to `v1/devices/{id}/receipts` once a message is committed. */
export interface DeviceReceipt {
  /** Null when the platform could not read the message's id (e.g. invalid JSON). */
  messageId: string | null;
  status: ReceiptStatus;
  reason?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a receipt payload; undefined when it is not one (it is then logged and ignored). */
export function parseReceipt(payload: string): DeviceReceipt | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const { messageId, status, reason } = json;
  if (messageId !== null && typeof messageId !== 'string') return undefined;
  if (typeof status !== 'string' || !(RECEIPT_STATUSES as readonly string[]).includes(status))
    return undefined;
  if (reason !== undefined && typeof reason !== 'string') return undefined;
  return { messageId, status: status as ReceiptStatus, ...(reason === undefined ? {} : { reason }) };
}

/** Nearest-rank percentile of unsorted samples; undefined for none. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  return percentileOfSorted(Float64Array.from(samples).sort(), p);
}

function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  count: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

/** Milliseconds to two decimals: the clock is sub-millisecond, the summary need not be finer. */
function ms(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 100) / 100;
}

export function summariseLatencies(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0 };
  // Sorted once for every percentile: a load run holds a sample per message.
  const sorted = Float64Array.from(samples).sort();
  return {
    count: samples.length,
    p50: ms(percentileOfSorted(sorted, 50)),
    p95: ms(percentileOfSorted(sorted, 95)),
    p99: ms(percentileOfSorted(sorted, 99)),
    max: ms(sorted[sorted.length - 1]),
  };
}

export interface DeliverySummary {
  /** Distinct messages handed to the outbox, per topic. */
  sent: Record<MessageChannel, number>;
  /** Extra publishes of a message already sent (reconnect, PUBACK or receipt timeout). */
  republished: number;
  /** Publishes that carried several messages (hub backlog batches). */
  batches: number;
  /** PUBACKs received (a republished message counts again). */
  acked: number;
  /** Measured values in the acknowledged readings messages (first PUBACK of each). */
  ackedValues: number;
  receipts: Record<ReceiptStatus, number>;
  rejectedByReason: Record<string, number>;
  /** Receipts naming no message this run still held (a repeat, another run's, or messageId null). */
  unmatchedReceipts: number;
  /** Deliberately broken messages sent, per kind of breakage. */
  brokenSent: Record<string, number>;
  /** Broken messages the platform rejected (matched by messageId). */
  brokenRejected: number;
  /** Broken messages the platform stored anyway: each one is a validation gap. */
  brokenStored: number;
  /** Well-formed messages the platform rejected: each one is a simulator or platform bug. */
  validRejected: number;
  /** Messages dropped because an outbox was full. */
  dropped: number;
  latencyMs: { puback: LatencySummary; receipt: LatencySummary };
}

/** The summary's counts, without its latency percentiles (which sort every sample). */
export type DeliveryCounts = Omit<DeliverySummary, 'latencyMs'>;

/**
 * Counts what every device sent and what came back. One instance is shared by all devices of a
 * run; pure bookkeeping, fed by the devices.
 */
export class DeliveryStats {
  private readonly sent: Record<MessageChannel, number> = { readings: 0, ble: 0, status: 0 };
  private republished = 0;
  private batches = 0;
  private acked = 0;
  private ackedValues = 0;
  private readonly receipts: Record<ReceiptStatus, number> = { stored: 0, duplicate: 0, rejected: 0 };
  private readonly rejectedByReason: Record<string, number> = {};
  private unmatchedReceipts = 0;
  private readonly brokenSent: Record<string, number> = {};
  /** `deviceId|messageId` → kind of breakage, for broken messages whose id the platform can read. */
  private readonly brokenIds = new Map<string, string>();
  /** Broken messages whose id the platform cannot read: their receipts say messageId null. */
  private brokenUnreadable = 0;
  private brokenRejected = 0;
  private brokenStored = 0;
  private validRejected = 0;
  private dropped = 0;
  private readonly pubackLatencies: number[] = [];
  private readonly receiptLatencies: number[] = [];

  recordEnqueued(channel: MessageChannel): void {
    this.sent[channel] += 1;
  }

  /** A deliberately broken message; `readableMessageId` when the platform can read its id. */
  recordBroken(kind: string, deviceId: string, readableMessageId?: string): void {
    this.brokenSent[kind] = (this.brokenSent[kind] ?? 0) + 1;
    if (readableMessageId !== undefined) this.brokenIds.set(`${deviceId}|${readableMessageId}`, kind);
    else this.brokenUnreadable += 1;
  }

  recordRepublished(): void {
    this.republished += 1;
  }

  recordBatch(): void {
    this.batches += 1;
  }

  recordDropped(): void {
    this.dropped += 1;
  }

  /** First PUBACK of a message; `latencyMs` from its last publish. */
  recordAck(latencyMs: number, values = 0): void {
    this.acked += 1;
    this.ackedValues += values;
    this.pubackLatencies.push(latencyMs);
  }

  /**
   * A receipt. `matched` when it settled a message this device still held, with `latencyMs` from
   * that message's last publish (or PUBACK). Broken messages are recognised by their id.
   */
  recordReceipt(
    deviceId: string,
    receipt: DeviceReceipt,
    match: { latencyMs?: number; matched: boolean },
  ): 'broken' | 'matched' | 'unmatched' {
    this.receipts[receipt.status] += 1;
    if (receipt.status === 'rejected') {
      const reason = receipt.reason ?? 'unspecified';
      this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
    }
    if (match.latencyMs !== undefined) this.receiptLatencies.push(match.latencyMs);
    const key = `${deviceId}|${receipt.messageId}`;
    if (receipt.messageId !== null && this.brokenIds.has(key)) {
      this.brokenIds.delete(key);
      if (receipt.status === 'rejected') this.brokenRejected += 1;
      else this.brokenStored += 1;
      return 'broken';
    }
    // An unreadable message can only be rejected, and only as one of ours if we sent one.
    if (receipt.messageId === null && receipt.status === 'rejected' && this.brokenUnreadable > 0) {
      this.brokenUnreadable -= 1;
      this.brokenRejected += 1;
      return 'broken';
    }
    if (!match.matched) {
      this.unmatchedReceipts += 1;
      return 'unmatched';
    }
    if (receipt.status === 'rejected') this.validRejected += 1;
    return 'matched';
  }

  summary(): DeliverySummary {
    return {
      ...this.counts(),
      latencyMs: {
        puback: summariseLatencies(this.pubackLatencies),
        receipt: summariseLatencies(this.receiptLatencies),
      },
    };
  }

  /** Cheap enough for a progress line every few hundred milliseconds. */
  counts(): DeliveryCounts {
    return {
      sent: { ...this.sent },
      republished: this.republished,
      batches: this.batches,
      acked: this.acked,
      ackedValues: this.ackedValues,
      receipts: { ...this.receipts },
      rejectedByReason: { ...this.rejectedByReason },
      unmatchedReceipts: this.unmatchedReceipts,
      brokenSent: { ...this.brokenSent },
      brokenRejected: this.brokenRejected,
      brokenStored: this.brokenStored,
      validRejected: this.validRejected,
      dropped: this.dropped,
    };
  }
}

function counts(record: Record<string, number>): string {
  const parts = Object.entries(record)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function latency(l: LatencySummary): string {
  return l.count === 0 ? 'n/a' : `p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms (n=${l.count})`;
}

/** The end-of-run summary for people. */
export function formatSummary(s: DeliverySummary, receiptsOn: boolean): string {
  const total = s.sent.readings + s.sent.ble + s.sent.status;
  const lines = [
    `sent      ${total} messages (${counts(s.sent)}), ${s.republished} republished, ${s.batches} hub batches, ${s.dropped} dropped`,
    `acked     ${s.acked} PUBACKs from the broker; publish→PUBACK ${latency(s.latencyMs.puback)}`,
  ];
  if (receiptsOn) {
    lines.push(
      `receipts  ${counts(s.receipts)}; publish→receipt ${latency(s.latencyMs.receipt)}`,
      `rejected  by reason: ${counts(s.rejectedByReason)}`,
      `unmatched ${s.unmatchedReceipts} receipts`,
    );
  } else {
    lines.push('receipts  not awaited (--no-receipts): the PUBACK was the only answer');
  }
  const brokenTotal = Object.values(s.brokenSent).reduce((a, b) => a + b, 0);
  if (brokenTotal > 0) {
    lines.push(
      `broken    ${brokenTotal} sent (${counts(s.brokenSent)})` +
        (receiptsOn
          ? `; ${s.brokenRejected} rejected, ${s.brokenStored} stored anyway, ${s.validRejected} well-formed rejected`
          : ''),
    );
  }
  return lines.join('\n');
}
