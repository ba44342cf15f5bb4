import { bleHex, dateTime, sfloat, u16, u8, SFLOAT_SPECIAL } from '@homeward/testing';
import { decodeBleMeasurement } from './ble-measurement.decoder';
import type { BleDecodeFailure, BleDecoded } from './ble-measurement';

function decoded(hex: string): BleDecoded {
  const result = decodeBleMeasurement('2A35', hex);
  if (!result.ok) throw new Error(`expected a decoded measurement, got ${result.reason}: ${result.detail}`);
  return result;
}

function failed(hex: string): BleDecodeFailure {
  const result = decodeBleMeasurement('2A35', hex);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

const MMHG = 0x00;
const KPA = 0x01;
const TIME_STAMP = 0x02;
const PULSE_RATE = 0x04;
const USER_ID = 0x08;
const STATUS = 0x10;

/** Every optional field present: 19 bytes. */
const FULL = bleHex(
  u8(MMHG | TIME_STAMP | PULSE_RATE | USER_ID | STATUS),
  sfloat(142),
  sfloat(91),
  sfloat(108),
  dateTime(2026, 11, 25, 7, 2, 11),
  sfloat(64),
  u8(2),
  u16(0x0005),
);

describe('Blood Pressure Measurement (0x2A35)', () => {
  it('decodes a hand-written mmHg value with only the mandatory fields', () => {
    // flags 00 | systolic 0x0078 = 120 | diastolic 0x0050 = 80 | MAP 0x005D = 93
    const result = decoded('00780050005d00');
    expect(result).toEqual({
      ok: true,
      characteristic: '2A35',
      readings: [
        {
          type: 'blood_pressure_systolic',
          loinc: '8480-6',
          value: 120,
          unit: 'mm[Hg]',
          sourceValue: 120,
          sourceUnit: 'mm[Hg]',
        },
        {
          type: 'blood_pressure_diastolic',
          loinc: '8462-4',
          value: 80,
          unit: 'mm[Hg]',
          sourceValue: 80,
          sourceUnit: 'mm[Hg]',
        },
      ],
      flags: [],
      unavailable: [],
      context: { meanArterialPressureMmHg: 93 },
    });
    expect(result.deviceTime).toBeUndefined();
    expect(result.userId).toBeUndefined();
  });

  it('converts kPa to mmHg through the catalogue and keeps what the device sent', () => {
    const result = decoded(bleHex(u8(KPA), sfloat(160, -1), sfloat(107, -1), sfloat(124, -1)));
    expect(result.readings.map((r) => [r.type, r.value, r.unit, r.sourceValue, r.sourceUnit])).toEqual([
      ['blood_pressure_systolic', 120, 'mm[Hg]', 16, 'kPa'],
      ['blood_pressure_diastolic', 80, 'mm[Hg]', 10.7, 'kPa'],
    ]);
    expect(result.context.meanArterialPressureMmHg).toBe(93);
  });

  it('decodes every optional field when all are present', () => {
    const result = decoded(FULL);
    expect(result.readings.map((r) => [r.type, r.value])).toEqual([
      ['blood_pressure_systolic', 142],
      ['blood_pressure_diastolic', 91],
      ['heart_rate', 64],
    ]);
    expect(result.deviceTime).toEqual(new Date('2026-11-25T07:02:11Z'));
    expect(result.userId).toBe(2);
    expect(result.flags).toEqual(['body_movement', 'irregular_pulse']);
    expect(result.context).toEqual({ meanArterialPressureMmHg: 108 });
  });

  it('uses the time stamp as deviceTime only when the flag announces it', () => {
    const withStamp = decoded(
      bleHex(u8(TIME_STAMP), sfloat(120), sfloat(80), sfloat(93), dateTime(2025, 2, 28, 23, 59, 59)),
    );
    expect(withStamp.deviceTime).toEqual(new Date('2025-02-28T23:59:59Z'));
    const without = decoded(bleHex(u8(MMHG), sfloat(120), sfloat(80), sfloat(93), dateTime(2025, 2, 28)));
    expect(without.deviceTime).toBeUndefined();
    expect(without.context.trailingBytes).toBe(7);
  });

  it.each([
    ['year', dateTime(0, 11, 25, 7, 2, 11)],
    ['month', dateTime(2026, 0, 25, 7, 2, 11)],
    ['day', dateTime(2026, 11, 0, 7, 2, 11)],
  ])('leaves deviceTime absent when the %s is "not known" (0)', (_field, stamp) => {
    const result = decoded(bleHex(u8(TIME_STAMP), sfloat(120), sfloat(80), sfloat(93), stamp));
    expect(result.deviceTime).toBeUndefined();
    expect(result.readings).toHaveLength(2);
  });

  it('adds the pulse rate as a heart rate reading only when the flag announces it', () => {
    const result = decoded(bleHex(u8(PULSE_RATE), sfloat(120), sfloat(80), sfloat(93), sfloat(725, -1)));
    expect(result.readings[2]).toEqual({
      type: 'heart_rate',
      loinc: '8867-4',
      value: 72.5,
      unit: '/min',
      sourceValue: 72.5,
      sourceUnit: '/min',
    });
    expect(decoded('00780050005d00').readings.map((r) => r.type)).not.toContain('heart_rate');
  });

  it('reports the user id, and none for 255 ("unknown user")', () => {
    expect(decoded(bleHex(u8(USER_ID), sfloat(120), sfloat(80), sfloat(93), u8(0))).userId).toBe(0);
    expect(decoded(bleHex(u8(USER_ID), sfloat(120), sfloat(80), sfloat(93), u8(7))).userId).toBe(7);
    expect(decoded(bleHex(u8(USER_ID), sfloat(120), sfloat(80), sfloat(93), u8(255))).userId).toBeUndefined();
  });

  describe('measurement status', () => {
    const withStatus = (status: number): string[] =>
      decoded(bleHex(u8(STATUS), sfloat(120), sfloat(80), sfloat(93), u16(status))).flags;

    it.each([
      [0x0001, 'body_movement'],
      [0x0002, 'cuff_too_loose'],
      [0x0004, 'irregular_pulse'],
      [0x0008, 'pulse_rate_exceeds_upper_limit'],
      [0x0010, 'pulse_rate_below_lower_limit'],
      [0x0020, 'improper_position'],
    ])('maps status value %i to %s', (status, flag) => {
      expect(withStatus(status)).toEqual([flag]);
    });

    it('raises no flag for a clean status, the reserved pulse range 3 or reserved bits 6-15', () => {
      expect(withStatus(0x0000)).toEqual([]);
      expect(withStatus(0x0018)).toEqual([]);
      expect(withStatus(0xffc0)).toEqual([]);
    });

    it('reports every raised bit together', () => {
      expect(withStatus(0x002f)).toEqual([
        'body_movement',
        'cuff_too_loose',
        'irregular_pulse',
        'pulse_rate_exceeds_upper_limit',
        'improper_position',
      ]);
    });
  });

  it('ignores reserved flag bits 5-7', () => {
    const result = decoded(bleHex(u8(0xe0), sfloat(120), sfloat(80), sfloat(93)));
    expect(result.readings).toHaveLength(2);
    expect(result.context.trailingBytes).toBeUndefined();
  });

  it.each(['NaN', 'NRes', '+INFINITY', '-INFINITY', 'reserved'] as const)(
    'keeps the measurement and leaves the mean arterial pressure out when it is %s',
    (special) => {
      const result = decoded(bleHex(u8(MMHG), sfloat(120), sfloat(80), u16(SFLOAT_SPECIAL[special])));
      expect(result.readings.map((r) => [r.type, r.value])).toEqual([
        ['blood_pressure_systolic', 120],
        ['blood_pressure_diastolic', 80],
      ]);
      expect(result.context.meanArterialPressureMmHg).toBeUndefined();
      // Context only: no vital is missing.
      expect(result.flags).toEqual([]);
      expect(result.unavailable).toEqual([]);
    },
  );

  // Every special value in each vital field: the field is left out and named, the rest kept.
  // No vital of a cuff has a meter range, so an infinity there is "unavailable" too.
  describe.each(['NaN', 'NRes', '+INFINITY', '-INFINITY', 'reserved'] as const)(
    '%s in one field',
    (special) => {
      const value = u16(SFLOAT_SPECIAL[special]);

      it('keeps a crisis systolic 200 and pulse when the diastolic is unavailable', () => {
        const result = decoded(bleHex(u8(PULSE_RATE), sfloat(200), value, sfloat(93), sfloat(110)));
        expect(result.readings.map((r) => [r.type, r.value])).toEqual([
          ['blood_pressure_systolic', 200],
          ['heart_rate', 110],
        ]);
        expect(result.flags).toEqual(['field_unavailable:blood_pressure_diastolic']);
        expect(result.unavailable).toEqual([{ type: 'blood_pressure_diastolic', special }]);
      });

      it('keeps the diastolic when the systolic is unavailable', () => {
        const result = decoded(bleHex(u8(MMHG), value, sfloat(130), sfloat(93)));
        expect(result.readings.map((r) => [r.type, r.value])).toEqual([['blood_pressure_diastolic', 130]]);
        expect(result.flags).toEqual(['field_unavailable:blood_pressure_systolic']);
      });

      it('keeps 200/130 when the pulse is unavailable, beside the status flags', () => {
        const result = decoded(
          bleHex(u8(PULSE_RATE | STATUS), sfloat(200), sfloat(130), sfloat(153), value, u16(0x0004)),
        );
        expect(result.readings.map((r) => [r.type, r.value])).toEqual([
          ['blood_pressure_systolic', 200],
          ['blood_pressure_diastolic', 130],
        ]);
        expect(result.flags).toEqual(['field_unavailable:heart_rate', 'irregular_pulse']);
      });

      it('rejects the measurement when every vital is unavailable, naming each', () => {
        expect(failed(bleHex(u8(PULSE_RATE), value, value, value, value))).toEqual({
          ok: false,
          reason: 'special_float_value',
          detail: `blood_pressure_systolic is ${special}, blood_pressure_diastolic is ${special}, heart_rate is ${special}`,
        });
        expect(failed(bleHex(u8(MMHG), value, value, sfloat(93))).reason).toBe('special_float_value');
      });
    },
  );

  it.each([
    [0, 'flags'],
    [1, 'systolic'],
    [2, 'systolic'],
    [3, 'diastolic'],
    [5, 'mean arterial pressure'],
    [7, 'time stamp'],
    [13, 'time stamp'],
    [14, 'pulse rate'],
    [16, 'user id'],
    [17, 'measurement status'],
    [18, 'measurement status'],
  ])('rejects a value cut to %s byte(s) as truncated at the %s', (bytes, field) => {
    const result = failed(FULL.slice(0, bytes * 2));
    expect(result.reason).toBe('truncated');
    expect(result.detail.startsWith(`${field} needs`)).toBe(true);
  });

  it('ignores bytes after the last announced field and counts them', () => {
    const result = decoded(`${FULL}beef`);
    expect(result.readings).toHaveLength(3);
    expect(result.context.trailingBytes).toBe(2);
  });

  it('rejects an impossible time stamp', () => {
    const result = failed(bleHex(u8(TIME_STAMP), sfloat(120), sfloat(80), sfloat(93), dateTime(2026, 13, 1)));
    expect(result.reason).toBe('invalid_timestamp');
  });
});
