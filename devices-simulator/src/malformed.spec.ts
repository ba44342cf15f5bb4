import { DEVICE_CONTRACT, type DeviceMessageV1 } from '@homeward/contracts';
import { MALFORMED_KINDS, MALFORMED_KIND_NAMES, breakMessage } from './malformed';

const GOOD: DeviceMessageV1 = {
  messageId: 'bp-1-abc',
  measuredAt: '2026-11-25T07:02:11Z',
  readings: [
    { type: 'blood_pressure_systolic', value: 130, unit: 'mm[Hg]' },
    { type: 'blood_pressure_diastolic', value: 85, unit: 'mm[Hg]' },
  ],
};
const NOW = new Date('2026-11-25T07:02:12Z');

function parse(payload: string): Record<string, unknown> {
  return JSON.parse(payload) as Record<string, unknown>;
}

describe('breakMessage', () => {
  it('produces every kind, each with the reason the platform should give', () => {
    for (const kind of MALFORMED_KIND_NAMES) {
      const broken = breakMessage(kind, GOOD, NOW);
      expect(broken.kind).toBe(kind);
      expect(broken.expectedReason).toBe(MALFORMED_KINDS[kind]);
      expect(broken.payload).not.toBe(JSON.stringify(GOOD));
    }
  });

  it('never reuses the good message id (that would be a conflicting duplicate instead)', () => {
    for (const kind of MALFORMED_KIND_NAMES) {
      const id = breakMessage(kind, GOOD, NOW).readableMessageId;
      if (id !== undefined) expect(id).not.toBe(GOOD.messageId);
    }
  });

  it('breaks each message in the announced way', () => {
    expect(() => parse(breakMessage('invalid_json', GOOD, NOW).payload)).toThrow();
    expect(breakMessage('invalid_json', GOOD, NOW).readableMessageId).toBeUndefined();
    expect(parse(breakMessage('missing_field', GOOD, NOW).payload)).not.toHaveProperty('measuredAt');
    expect(breakMessage('wrong_unit', GOOD, NOW).payload).toContain('"unit":"furlong"');
    expect(breakMessage('out_of_range', GOOD, NOW).payload).toContain('"value":100000');
    expect(breakMessage('nul_byte', GOOD, NOW).payload).toContain('\\u0000');
    const oversize = breakMessage('oversize', GOOD, NOW).payload;
    expect(Buffer.byteLength(oversize)).toBeGreaterThan(DEVICE_CONTRACT.maxPayloadBytes);
    expect(Buffer.byteLength(oversize)).toBeLessThan(DEVICE_CONTRACT.maxPacketBytes - 1024);
    const future = parse(breakMessage('future_timestamp', GOOD, NOW).payload).measuredAt as string;
    expect(new Date(future).getTime() - NOW.getTime()).toBeGreaterThan(DEVICE_CONTRACT.maxFutureSkewMs);
    const dup = parse(breakMessage('duplicate_type', GOOD, NOW).payload).readings as { type: string }[];
    expect(dup[0]?.type).toBe(dup[1]?.type);
    const hex = breakMessage('bad_ble_hex', GOOD, NOW);
    expect(hex.channel).toBe('ble');
    expect(parse(hex.payload).value).not.toMatch(/^([0-9a-fA-F]{2})+$/);
    const unknown = breakMessage('unknown_characteristic', GOOD, NOW);
    expect(unknown.channel).toBe('ble');
    expect(['2A35', '2A9D', '2A5E', '2A18', '2A1C']).not.toContain(parse(unknown.payload).characteristic);
  });
});
