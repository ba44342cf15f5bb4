import { bleHex, dateTime, sfloat, u8 } from '@homeward/testing';
import { BLE_CHARACTERISTICS, decodeBleMeasurement, type BleDecodeResult } from './index';

const BLOOD_PRESSURE = '00780050005d00';

function failureOf(result: BleDecodeResult): { reason: string; detail: string } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return { reason: result.reason, detail: result.detail };
}

describe('decodeBleMeasurement', () => {
  it('accepts the characteristic in any case', () => {
    expect(decodeBleMeasurement('2a35', BLOOD_PRESSURE)).toMatchObject({ ok: true, characteristic: '2A35' });
  });

  it('accepts upper-case hex', () => {
    expect(decodeBleMeasurement('2A35', BLOOD_PRESSURE.toUpperCase()).ok).toBe(true);
  });

  it.each(['2A19', '0x2A35', '', '2A35 ', '00002a35-0000-1000-8000-00805f9b34fb'])(
    'rejects the characteristic %j as unknown',
    (characteristic) => {
      expect(failureOf(decodeBleMeasurement(characteristic, BLOOD_PRESSURE))).toEqual({
        reason: 'unknown_characteristic',
        detail: `characteristic ${JSON.stringify(characteristic)} is not one of 2A35, 2A9D, 2A5E, 2A18, 2A1C`,
      });
    },
  );

  it.each([
    ['an odd number of digits', '0078005'],
    ['a non-hex character', '00780050005d0g'],
    ['a 0x prefix', '0x00780050005d00'],
    ['separators', '00 78 00 50 00 5d 00'],
  ])('rejects a value with %s as invalid hex', (_case, hex) => {
    expect(failureOf(decodeBleMeasurement('2A35', hex)).reason).toBe('invalid_hex');
  });

  it('says how long an invalid value was, without echoing it', () => {
    expect(failureOf(decodeBleMeasurement('2A35', 'abc')).detail).toBe(
      'value must be an even number of hex digits; got 3 character(s)',
    );
  });

  it.each(BLE_CHARACTERISTICS)('rejects an empty %s value as truncated at the flags', (characteristic) => {
    expect(failureOf(decodeBleMeasurement(characteristic, ''))).toEqual({
      reason: 'truncated',
      detail: 'flags needs 1 byte(s) at offset 0; 0 left',
    });
  });

  it('decodes the example in docs/device-contract.md', () => {
    expect(decodeBleMeasurement('2A35', '1e780050005d00ea070b19070b0c4800010400')).toEqual({
      ok: true,
      characteristic: '2A35',
      readings: [
        expect.objectContaining({ type: 'blood_pressure_systolic', value: 120 }),
        expect.objectContaining({ type: 'blood_pressure_diastolic', value: 80 }),
        expect.objectContaining({ type: 'heart_rate', value: 72 }),
      ],
      deviceTime: new Date('2026-11-25T07:11:12Z'),
      userId: 1,
      flags: ['irregular_pulse'],
      unavailable: [],
      context: { meanArterialPressureMmHg: 93 },
    });
  });

  it('reports no trailing bytes when the value ends with its last field', () => {
    const result = decodeBleMeasurement('2A35', BLOOD_PRESSURE);
    expect(result.ok && result.context.trailingBytes).toBeUndefined();
  });
});

describe('Bluetooth Date Time', () => {
  const stamped = (stamp: number[]): BleDecodeResult =>
    decodeBleMeasurement('2A35', bleHex(u8(0x02), sfloat(120), sfloat(80), sfloat(93), stamp));
  const deviceTime = (stamp: number[]): Date | undefined => {
    const result = stamped(stamp);
    if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
    return result.deviceTime;
  };

  it('reads year, month, day, hours, minutes and seconds, as UTC', () => {
    // flags 02 | 120 | 80 | 93 | EA 07 = 2026, 0B = 11, 19 = 25, then 07:0B:0C = 07:11:12
    expect(decodeBleMeasurement('2A35', '02780050005d00ea070b19070b0c')).toMatchObject({
      ok: true,
      deviceTime: new Date('2026-11-25T07:11:12Z'),
    });
  });

  it.each([
    ['the first year the SIG allows', dateTime(1582, 10, 15, 0, 0, 0), '1582-10-15T00:00:00Z'],
    ['the last year', dateTime(9999, 12, 31, 23, 59, 59), '9999-12-31T23:59:59Z'],
    ['a leap day', dateTime(2028, 2, 29, 12, 0, 0), '2028-02-29T12:00:00Z'],
  ])('accepts %s', (_case, stamp, expected) => {
    expect(deviceTime(stamp)).toEqual(new Date(expected));
  });

  it.each([
    ['year', dateTime(0, 6, 1, 8)],
    ['month', dateTime(2026, 0, 1, 8)],
    ['day', dateTime(2026, 6, 0, 8)],
    ['whole date', dateTime(0, 0, 0)],
  ])('treats a %s of 0 as "not known": no deviceTime', (_field, stamp) => {
    expect(deviceTime(stamp)).toBeUndefined();
  });

  it.each([
    ['year 1581', dateTime(1581, 1, 1), 'year must be 1582-9999 or 0 (not known)'],
    ['year 1', dateTime(1, 1, 1), 'year must be 1582-9999 or 0 (not known)'],
    ['year 10000', dateTime(10_000, 1, 1), 'year must be 1582-9999 or 0 (not known)'],
    ['month 13', dateTime(2026, 13, 1), 'month must be 1-12 or 0 (not known)'],
    ['day 32', dateTime(2026, 1, 32), 'day must be 1-31 or 0 (not known)'],
    ['hour 24', dateTime(2026, 1, 1, 24), 'time of day out of range'],
    ['minute 60', dateTime(2026, 1, 1, 0, 60), 'time of day out of range'],
    ['second 60', dateTime(2026, 1, 1, 0, 0, 60), 'time of day out of range'],
    ['30 February', dateTime(2026, 2, 30), 'no such day in that month'],
    ['29 February in a common year', dateTime(2026, 2, 29), 'no such day in that month'],
    ['31 April', dateTime(2026, 4, 31), 'no such day in that month'],
  ])('rejects %s as an invalid timestamp', (_case, stamp, why) => {
    const failure = failureOf(stamped(stamp));
    expect(failure.reason).toBe('invalid_timestamp');
    expect(failure.detail.endsWith(why)).toBe(true);
    expect(failure.detail.startsWith('time stamp ')).toBe(true);
  });

  it('rejects an out-of-range time even when the date is "not known"', () => {
    expect(failureOf(stamped(dateTime(0, 0, 0, 25))).reason).toBe('invalid_timestamp');
  });
});
