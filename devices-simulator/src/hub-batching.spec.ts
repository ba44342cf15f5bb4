import { MAX_HUB_BATCH, hubBatchPayload, planUploads } from './hub-batching';
import type { OutgoingMessage } from './outbox';

function reading(n: number, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    messageId: `m-${n}`,
    channel: 'readings',
    payload: JSON.stringify({ messageId: `m-${n}` }),
    awaitReceipt: true,
    ...extra,
  };
}

describe('hub batching', () => {
  it('uploads a backlog in batches of at most 500, oldest first', () => {
    const backlog = Array.from({ length: 1203 }, (_, i) => reading(i));
    const groups = planUploads(backlog, true);
    expect(groups.map((g) => g.length)).toEqual([500, 500, 203]);
    expect(groups.flat().map((m) => m.messageId)).toEqual(backlog.map((m) => m.messageId));
    expect(Math.max(...groups.map((g) => g.length))).toBeLessThanOrEqual(MAX_HUB_BATCH);
  });

  it('sends a lone reading, BLE, status and broken messages on their own', () => {
    expect(planUploads([reading(1)], true)).toEqual([[reading(1)]]);
    const mixed = [
      reading(1),
      reading(2, { channel: 'ble' }),
      reading(3, { channel: 'status' }),
      reading(4, { broken: 'invalid_json' }),
      reading(5),
    ];
    expect(planUploads(mixed, true).map((g) => g.map((m) => m.messageId))).toEqual([
      ['m-1', 'm-5'],
      ['m-2'],
      ['m-3'],
      ['m-4'],
    ]);
  });

  it('never batches for a device that is not a batching hub', () => {
    expect(planUploads([reading(1), reading(2)], false)).toEqual([[reading(1)], [reading(2)]]);
  });

  it('builds the batch from the exact bytes of each message', () => {
    const payload = hubBatchPayload([reading(1), reading(2)]);
    expect(JSON.parse(payload)).toEqual({ messages: [{ messageId: 'm-1' }, { messageId: 'm-2' }] });
  });
});
