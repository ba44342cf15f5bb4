import { bleHex, dateTime, float32, u32, u8, FLOAT_SPECIAL } from '@homeward/testing';
import { decodeBleMeasurement } from './ble-measurement.decoder';
import type { BleDecodeFailure, BleDecoded } from './ble-measurement';

function decoded(hex: string): BleDecoded {
  const result = decodeBleMeasurement('2A1C', hex);
  if (!result.ok) throw new Error(`expected a decoded measurement, got ${result.reason}: ${result.detail}`);
  return result;
}

function failed(hex: string): BleDecodeFailure {
  const result = decodeBleMeasurement('2A1C', hex);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

const FAHRENHEIT = 0x01;
const TIME_STAMP = 0x02;
const TEMPERATURE_TYPE = 0x04;

/** Every optional field present: 13 bytes. */
const FULL = bleHex(
  u8(TIME_STAMP | TEMPERATURE_TYPE),
  float32(3712, -2),
  dateTime(2026, 11, 25, 21, 5, 9),
  u8(6), // mouth
);

describe('Temperature Measurement (0x2A1C)', () => {
  it('decodes a hand-written Celsius value: 0xFF00016E = 366e-1 = 36.6 °C', () => {
    expect(decoded('006e0100ff')).toEqual({
      ok: true,
      characteristic: '2A1C',
      readings: [
        {
          type: 'body_temperature',
          loinc: '8310-5',
          value: 36.6,
          unit: 'Cel',
          sourceValue: 36.6,
          sourceUnit: 'Cel',
        },
      ],
      flags: [],
      unavailable: [],
      context: {},
    });
  });

  it('decodes a hand-written Fahrenheit value: 0xFF0003DA = 98.6 °F, converted to 37 °C', () => {
    const [reading] = decoded('01da0300ff').readings;
    expect(reading).toMatchObject({ value: 37, unit: 'Cel', sourceValue: 98.6, sourceUnit: '[degF]' });
  });

  it('reads Fahrenheit from flag bit 0 alongside the other fields', () => {
    const result = decoded(
      bleHex(u8(FAHRENHEIT | TIME_STAMP | TEMPERATURE_TYPE), float32(1004, -1), dateTime(2026, 1, 1), u8(1)),
    );
    expect(result.readings[0]).toMatchObject({ value: 38, sourceValue: 100.4, sourceUnit: '[degF]' });
    expect(result.deviceTime).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(result.context.temperatureSite).toBe('armpit');
  });

  it('decodes every optional field when all are present', () => {
    const result = decoded(FULL);
    expect(result.readings[0]).toMatchObject({ value: 37.12, sourceValue: 37.12 });
    expect(result.deviceTime).toEqual(new Date('2026-11-25T21:05:09Z'));
    expect(result.context).toEqual({ temperatureSite: 'mouth' });
  });

  it('leaves optional fields out when their flags are clear', () => {
    const result = decoded(bleHex(u8(0), float32(365, -1)));
    expect(result.deviceTime).toBeUndefined();
    expect(result.context).toEqual({});
  });

  it('uses the time stamp only when the flag announces it', () => {
    expect(
      decoded(bleHex(u8(TIME_STAMP), float32(365, -1), dateTime(1999, 12, 31, 23, 59, 59))).deviceTime,
    ).toEqual(new Date('1999-12-31T23:59:59Z'));
    expect(
      decoded(bleHex(u8(TIME_STAMP), float32(365, -1), dateTime(2026, 11, 0))).deviceTime,
    ).toBeUndefined();
  });

  it.each([
    [1, 'armpit'],
    [2, 'body_general'],
    [3, 'ear'],
    [4, 'finger'],
    [5, 'gastrointestinal_tract'],
    [6, 'mouth'],
    [7, 'rectum'],
    [8, 'toe'],
    [9, 'tympanum'],
  ])('names temperature type %i %s', (code, site) => {
    expect(decoded(bleHex(u8(TEMPERATURE_TYPE), float32(365, -1), u8(code))).context.temperatureSite).toBe(
      site,
    );
  });

  it.each([0, 10, 255])('names no site for the reserved temperature type %i', (code) => {
    const result = decoded(bleHex(u8(TEMPERATURE_TYPE), float32(365, -1), u8(code)));
    expect(result.context.temperatureSite).toBeUndefined();
    expect(result.context.trailingBytes).toBeUndefined();
  });

  it.each(['NaN', 'NRes', '+INFINITY', '-INFINITY', 'reserved'] as const)(
    'rejects the FLOAT special value %s',
    (special) => {
      expect(failed(bleHex(u8(0), u32(FLOAT_SPECIAL[special])))).toEqual({
        ok: false,
        reason: 'special_float_value',
        detail: `body_temperature is ${special}`,
      });
    },
  );

  it.each([
    [0, 'flags'],
    [1, 'temperature'],
    [4, 'temperature'],
    [5, 'time stamp'],
    [11, 'time stamp'],
    [12, 'temperature type'],
  ])('rejects a value cut to %s byte(s) as truncated at the %s', (bytes, field) => {
    const result = failed(FULL.slice(0, bytes * 2));
    expect(result.reason).toBe('truncated');
    expect(result.detail.startsWith(`${field} needs`)).toBe(true);
  });

  it('ignores reserved flag bits 3-7 and trailing bytes', () => {
    const result = decoded(`${bleHex(u8(0xf8), float32(365, -1))}0102`);
    expect(result.readings[0].value).toBe(36.5);
    expect(result.context.trailingBytes).toBe(2);
  });
});
