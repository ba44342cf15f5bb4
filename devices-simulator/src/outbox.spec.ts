import { Outbox, receiptWait, type OutgoingMessage } from './outbox';

function message(n: number, awaitReceipt = true): OutgoingMessage {
  return {
    messageId: `dev-${n}`,
    channel: 'readings',
    payload: JSON.stringify({
      messageId: `dev-${n}`,
      measuredAt: '2026-11-25T07:02:11Z',
      readings: [{ type: 'heart_rate', value: 70 + n, unit: '/min' }],
    }),
    awaitReceipt,
  };
}

const STALE = 30_000;
const RECEIPT = 10_000;

describe('Outbox', () => {
  it('keeps a message after its PUBACK until its receipt arrives', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    outbox.markSent('dev-1', 10);
    expect(outbox.acknowledge('dev-1', 20)).toMatchObject({ settled: false });
    expect(outbox.size).toBe(1);
    expect(outbox.get('dev-1')?.state).toBe('awaiting_receipt');
    expect(outbox.settle('dev-1')?.attempts).toBe(1);
    expect(outbox.size).toBe(0);
    expect(outbox.settle('dev-1')).toBeUndefined();
  });

  it('keeps a message refused as rate_limited and makes it due again only at its retry time', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    outbox.markSent('dev-1', 10);
    outbox.acknowledge('dev-1', 20);
    expect(outbox.defer('dev-1', 60_030)?.state).toBe('deferred');
    expect(outbox.size).toBe(1);
    expect(outbox.due(60_000, STALE, RECEIPT)).toEqual([]);
    expect(outbox.due(60_030, STALE, RECEIPT).map((entry) => entry.messageId)).toEqual(['dev-1']);
    expect(outbox.defer('dev-2', 1)).toBeUndefined();
  });

  it('lets a message that awaits no receipt (--no-receipts, broken) leave on PUBACK', () => {
    const outbox = new Outbox();
    outbox.add(message(1, false), 0);
    outbox.markSent('dev-1', 10);
    expect(outbox.acknowledge('dev-1', 20)).toMatchObject({ settled: true });
    expect(outbox.size).toBe(0);
    expect(outbox.acknowledge('dev-1', 21)).toBeUndefined();
  });

  it('ignores a PUBACK for a message not in flight', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    outbox.markSent('dev-1', 10);
    outbox.acknowledge('dev-1', 20);
    expect(outbox.acknowledge('dev-1', 21)).toBeUndefined();
  });

  it('resends a message whose receipt did not come within the receipt timeout', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    outbox.markSent('dev-1', 0);
    outbox.acknowledge('dev-1', 100);
    expect(outbox.due(100 + RECEIPT - 1, STALE, RECEIPT)).toHaveLength(0);
    expect(outbox.due(100 + RECEIPT, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-1']);
  });

  it('resends what the broker acknowledged but the platform never receipted after a reconnect', () => {
    const outbox = new Outbox();
    [1, 2].forEach((n) => outbox.add(message(n), n));
    outbox.markSent('dev-1', 5);
    outbox.acknowledge('dev-1', 6);
    outbox.markSent('dev-2', 7);
    outbox.onReconnect(8);
    // dev-2 is still in flight: mqtt.js resends it itself; dev-1 is the outbox's to resend.
    expect(outbox.due(9, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-1']);
  });

  it('stores the exact payload, so a republish repeats messageId and measuredAt', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    const payload = outbox.get('dev-1')?.payload ?? '';
    expect(payload).toBe(message(1).payload);
    outbox.markSent('dev-1', 1);
    outbox.markFailed('dev-1');
    expect(outbox.due(2, STALE, RECEIPT).map((e) => e.payload)).toEqual([payload]);
  });

  it('marks unsent and failed messages due, in order, but not ones in flight', () => {
    const outbox = new Outbox();
    [1, 2, 3].forEach((n) => outbox.add(message(n), n));
    outbox.markSent('dev-1', 5);
    outbox.markSent('dev-2', 5);
    outbox.markFailed('dev-2');
    expect(outbox.due(6, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-2', 'dev-3']);
  });

  it('treats a message in flight too long as due, unless a reconnect restarted its clock', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    outbox.markSent('dev-1', 0);
    expect(outbox.due(29_999, STALE, RECEIPT)).toHaveLength(0);
    expect(outbox.due(30_000, STALE, RECEIPT)).toHaveLength(1);
    outbox.onReconnect(25_000);
    expect(outbox.due(30_000, STALE, RECEIPT)).toHaveLength(0);
  });

  it('asked after every measurement, still finds each held message due at its own time', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    expect(outbox.due(0, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-1']);
    outbox.markSent('dev-1', 0);
    outbox.add(message(2), 10);
    expect(outbox.due(10, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-2']);
    outbox.markSent('dev-2', 10);
    outbox.acknowledge('dev-2', 20);
    outbox.add(message(3), 30);
    outbox.add(message(4), 40);
    // dev-3 not sent yet: still pending, and asked for again with dev-4.
    expect(outbox.due(40, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-3', 'dev-4']);
    outbox.markSent('dev-3', 40);
    outbox.markSent('dev-4', 40);
    outbox.settle('dev-4');
    outbox.defer('dev-3', 5_000);
    expect(outbox.due(4_999, STALE, RECEIPT)).toEqual([]);
    expect(outbox.due(5_000, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-3']);
    outbox.markSent('dev-3', 5_000);
    // dev-2's receipt is due 10 s after its PUBACK, dev-1 30 s after its publish.
    expect(outbox.due(10_019, STALE, RECEIPT)).toEqual([]);
    expect(outbox.due(10_020, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-2']);
    expect(outbox.due(29_999, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-2']);
    expect(outbox.due(30_000, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-1', 'dev-2']);
  });

  it('drops the oldest message when full', () => {
    const outbox = new Outbox(2);
    outbox.add(message(1), 1);
    outbox.add(message(2), 2);
    expect(outbox.add(message(3), 3)?.messageId).toBe('dev-1');
    expect(outbox.messageIds()).toEqual(['dev-2', 'dev-3']);
    // Offline for long (never asked what is due), it still offers only what it holds.
    for (let n = 4; n <= 50; n++) outbox.add(message(n), n);
    expect(outbox.due(60, STALE, RECEIPT).map((e) => e.messageId)).toEqual(['dev-49', 'dev-50']);
  });
});

describe('receiptWait', () => {
  it('doubles with each attempt, up to sixteen times the timeout', () => {
    expect([1, 2, 3, 5, 9].map((attempts) => receiptWait({ attempts }, 1000))).toEqual([
      1000, 2000, 4000, 16_000, 16_000,
    ]);
  });
});
