import { DeliveryStats, formatSummary, parseReceipt, percentile } from './delivery-stats';

describe('parseReceipt', () => {
  it('reads the three statuses and a null messageId', () => {
    expect(parseReceipt('{"messageId":"a","status":"stored"}')).toEqual({ messageId: 'a', status: 'stored' });
    expect(parseReceipt('{"messageId":null,"status":"rejected","reason":"invalid_json"}')).toEqual({
      messageId: null,
      status: 'rejected',
      reason: 'invalid_json',
    });
  });

  it.each(['nope', '[]', '{"messageId":1,"status":"stored"}', '{"messageId":"a","status":"lost"}'])(
    'refuses %s',
    (payload) => expect(parseReceipt(payload)).toBeUndefined(),
  );
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([50, 95, 99, 100].map((p) => percentile(samples, p))).toEqual([50, 95, 99, 100]);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('DeliveryStats', () => {
  it('counts receipts per status and rejections per reason, and tells broken from well-formed rejections', () => {
    const stats = new DeliveryStats();
    stats.recordEnqueued('readings');
    stats.recordEnqueued('readings');
    stats.recordBroken('wrong_unit', 'd1', 'b-1');
    stats.recordBroken('invalid_json', 'd1');
    stats.recordAck(4);
    stats.recordReceipt('d1', { messageId: 'ok-1', status: 'stored' }, { matched: true, latencyMs: 12 });
    stats.recordReceipt('d1', { messageId: 'ok-1', status: 'duplicate' }, { matched: false });
    stats.recordReceipt(
      'd1',
      { messageId: 'b-1', status: 'rejected', reason: 'unsupported_unit' },
      { matched: false },
    );
    stats.recordReceipt(
      'd1',
      { messageId: null, status: 'rejected', reason: 'invalid_json' },
      { matched: false },
    );
    stats.recordReceipt(
      'd1',
      { messageId: 'ok-2', status: 'rejected', reason: 'implausible_value' },
      { matched: true },
    );
    const s = stats.summary();
    expect(s.receipts).toEqual({ stored: 1, duplicate: 1, rejected: 3 });
    expect(s.rejectedByReason).toEqual({ unsupported_unit: 1, invalid_json: 1, implausible_value: 1 });
    expect(s.brokenSent).toEqual({ wrong_unit: 1, invalid_json: 1 });
    // The null-id rejection is the invalid JSON one: an unreadable broken message was sent.
    expect(s.brokenRejected).toBe(2);
    expect(s.brokenStored).toBe(0);
    expect(s.validRejected).toBe(1);
    expect(s.unmatchedReceipts).toBe(1);
    expect(s.latencyMs.receipt).toMatchObject({ count: 1, p50: 12 });
    expect(s.latencyMs.puback).toMatchObject({ count: 1, p99: 4 });
    const text = formatSummary(s, true);
    expect(text).toContain('stored 1, duplicate 1, rejected 3');
    expect(text).toContain('unsupported_unit 1');
    expect(formatSummary(s, false)).toContain('--no-receipts');
  });

  it('counts a broken message the platform stored as a validation gap', () => {
    const stats = new DeliveryStats();
    stats.recordBroken('out_of_range', 'd1', 'b-2');
    stats.recordReceipt('d1', { messageId: 'b-2', status: 'stored' }, { matched: false });
    expect(stats.summary().brokenStored).toBe(1);
  });
});
