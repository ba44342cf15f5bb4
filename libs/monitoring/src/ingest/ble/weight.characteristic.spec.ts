import { bleHex, dateTime, u16, u8 } from '@homeward/testing';
import { decodeBleMeasurement } from './ble-measurement.decoder';
import type { BleDecodeFailure, BleDecoded } from './ble-measurement';

function decoded(hex: string): BleDecoded {
  const result = decodeBleMeasurement('2A9D', hex);
  if (!result.ok) throw new Error(`expected a decoded measurement, got ${result.reason}: ${result.detail}`);
  return result;
}

function failed(hex: string): BleDecodeFailure {
  const result = decodeBleMeasurement('2A9D', hex);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

const SI = 0x00;
const IMPERIAL = 0x01;
const TIME_STAMP = 0x02;
const USER_ID = 0x04;
const BMI_AND_HEIGHT = 0x08;

/** Every optional field present, SI: 15 bytes. */
const FULL = bleHex(
  u8(SI | TIME_STAMP | USER_ID | BMI_AND_HEIGHT),
  u16(16_000), // 80 kg in 0.005 kg
  dateTime(2026, 11, 25, 6, 45, 0),
  u8(1),
  u16(261), // BMI 26.1
  u16(1750), // 1.750 m
);

describe('Weight Measurement (0x2A9D)', () => {
  it('decodes a hand-written SI weight: 0x36B0 = 14000 × 0.005 kg = 70 kg', () => {
    expect(decoded('00b036')).toEqual({
      ok: true,
      characteristic: '2A9D',
      readings: [
        { type: 'body_weight', loinc: '29463-7', value: 70, unit: 'kg', sourceValue: 70, sourceUnit: 'kg' },
      ],
      flags: [],
      unavailable: [],
      context: {},
    });
  });

  it('keeps the 0.005 kg resolution exact', () => {
    expect(decoded(bleHex(u8(SI), u16(14_001))).readings[0].value).toBe(70.005);
    expect(decoded(bleHex(u8(SI), u16(1))).readings[0].sourceValue).toBe(0.005);
  });

  it('decodes a hand-written imperial weight: 0x3C48 = 15432 × 0.01 lb, converted to kg', () => {
    const [reading] = decoded('01483c').readings;
    expect(reading).toMatchObject({ value: 70, unit: 'kg', sourceValue: 154.32, sourceUnit: '[lb_av]' });
  });

  it('decodes every optional field when all are present', () => {
    const result = decoded(FULL);
    expect(result.readings.map((r) => [r.type, r.value, r.unit])).toEqual([['body_weight', 80, 'kg']]);
    expect(result.deviceTime).toEqual(new Date('2026-11-25T06:45:00Z'));
    expect(result.userId).toBe(1);
    expect(result.context).toEqual({ bmi: 26.1, heightM: 1.75 });
    expect(result.flags).toEqual([]);
  });

  it('reads height in inches (0.1 in) on an imperial scale and reports it in metres', () => {
    const result = decoded(bleHex(u8(IMPERIAL | BMI_AND_HEIGHT), u16(17_637), u16(261), u16(689)));
    expect(result.readings[0]).toMatchObject({ value: 80, sourceValue: 176.37, sourceUnit: '[lb_av]' });
    expect(result.context).toEqual({ bmi: 26.1, heightM: 1.75 });
  });

  it('leaves optional fields out when their flags are clear', () => {
    const result = decoded(bleHex(u8(SI), u16(16_000)));
    expect(result.deviceTime).toBeUndefined();
    expect(result.userId).toBeUndefined();
    expect(result.context).toEqual({});
  });

  it('decodes each optional field alone', () => {
    expect(decoded(bleHex(u8(TIME_STAMP), u16(16_000), dateTime(2024, 2, 29, 12))).deviceTime).toEqual(
      new Date('2024-02-29T12:00:00Z'),
    );
    expect(decoded(bleHex(u8(USER_ID), u16(16_000), u8(4))).userId).toBe(4);
    expect(decoded(bleHex(u8(USER_ID), u16(16_000), u8(255))).userId).toBeUndefined();
    expect(decoded(bleHex(u8(BMI_AND_HEIGHT), u16(16_000), u16(0), u16(0))).context).toEqual({
      bmi: 0,
      heightM: 0,
    });
  });

  it('rejects weight 0xFFFF, which the scale sends when the measurement failed', () => {
    expect(failed(bleHex(u8(SI), u16(0xffff)))).toEqual({
      ok: false,
      reason: 'measurement_unsuccessful',
      detail: 'the scale reports weight 0xFFFF',
    });
    expect(failed(bleHex(u8(IMPERIAL), u16(0xffff))).reason).toBe('measurement_unsuccessful');
  });

  it('ignores reserved flag bits 4-7', () => {
    expect(decoded(bleHex(u8(0xf0), u16(16_000))).readings[0].value).toBe(80);
  });

  it.each([
    [0, 'flags'],
    [1, 'weight'],
    [2, 'weight'],
    [3, 'time stamp'],
    [9, 'time stamp'],
    [10, 'user id'],
    [11, 'BMI'],
    [12, 'BMI'],
    [13, 'height'],
    [14, 'height'],
  ])('rejects a value cut to %s byte(s) as truncated at the %s', (bytes, field) => {
    const result = failed(FULL.slice(0, bytes * 2));
    expect(result.reason).toBe('truncated');
    expect(result.detail.startsWith(`${field} needs`)).toBe(true);
  });

  it('ignores bytes after the last announced field and counts them', () => {
    expect(decoded(`${FULL}00`).context.trailingBytes).toBe(1);
  });
});
