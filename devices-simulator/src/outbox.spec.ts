import type { DeviceMessageV1 } from '@homeward/contracts';
import { Outbox } from './outbox';

function message(n: number): DeviceMessageV1 {
  return {
    messageId: `dev-${n}`,
    measuredAt: '2026-11-25T07:02:11Z',
    readings: [{ type: 'heart_rate', value: 70 + n, unit: '/min' }],
  };
}

describe('Outbox', () => {
  it('keeps a reading until it is acknowledged', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    outbox.markSent('dev-1', 10);
    expect(outbox.size).toBe(1);
    expect(outbox.acknowledge('dev-1')?.attempts).toBe(1);
    expect(outbox.size).toBe(0);
    expect(outbox.acknowledge('dev-1')).toBeUndefined();
  });

  it('stores the exact payload, so a republish repeats messageId and measuredAt', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    const payload = outbox.get('dev-1')?.payload ?? '';
    expect(JSON.parse(payload)).toEqual(message(1));
    outbox.markSent('dev-1', 1);
    outbox.markFailed('dev-1');
    expect(outbox.due(2, 30_000).map((e) => e.payload)).toEqual([payload]);
  });

  it('marks unsent and failed readings due, in order, but not ones in flight', () => {
    const outbox = new Outbox();
    [1, 2, 3].forEach((n) => outbox.add(message(n), n));
    outbox.markSent('dev-1', 5);
    outbox.markSent('dev-2', 5);
    outbox.markFailed('dev-2');
    expect(outbox.due(6, 30_000).map((e) => e.message.messageId)).toEqual(['dev-2', 'dev-3']);
  });

  it('treats a reading in flight too long as due, unless a reconnect restarted its clock', () => {
    const outbox = new Outbox();
    outbox.add(message(1), 0);
    outbox.markSent('dev-1', 0);
    expect(outbox.due(29_999, 30_000)).toHaveLength(0);
    expect(outbox.due(30_000, 30_000)).toHaveLength(1);
    outbox.restartInFlightClocks(25_000);
    expect(outbox.due(30_000, 30_000)).toHaveLength(0);
  });

  it('drops the oldest reading when full', () => {
    const outbox = new Outbox(2);
    outbox.add(message(1), 1);
    outbox.add(message(2), 2);
    expect(outbox.add(message(3), 3)?.message.messageId).toBe('dev-1');
    expect(outbox.messageIds()).toEqual(['dev-2', 'dev-3']);
  });
});
