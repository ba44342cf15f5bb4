import { bleHex, dateTime, s16, sfloat, u16, u8, SFLOAT_SPECIAL } from '@homeward/testing';
import { decodeBleMeasurement } from './ble-measurement.decoder';
import type { BleDecodeFailure, BleDecoded } from './ble-measurement';

function decoded(hex: string): BleDecoded {
  const result = decodeBleMeasurement('2A18', hex);
  if (!result.ok) throw new Error(`expected a decoded measurement, got ${result.reason}: ${result.detail}`);
  return result;
}

function failed(hex: string): BleDecodeFailure {
  const result = decodeBleMeasurement('2A18', hex);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

const TIME_OFFSET = 0x01;
const CONCENTRATION = 0x02;
const MOL_PER_L = 0x04;
const SENSOR_STATUS = 0x08;
const CONTEXT_FOLLOWS = 0x10;

const BASE_TIME = dateTime(2026, 11, 25, 7, 30, 0);
const FINGER_CAPILLARY = u8(0x11);
/** 95 mg/dL = 0.00095 kg/L = 95e-5. */
const MG_DL_95 = sfloat(95, -5);

/** Every optional field present: 17 bytes. */
const FULL = bleHex(
  u8(TIME_OFFSET | CONCENTRATION | SENSOR_STATUS | CONTEXT_FOLLOWS),
  u16(42),
  BASE_TIME,
  s16(-30),
  sfloat(182, -5),
  u8(0x12), // capillary plasma from a finger
  u16(0x0001), // device battery low
);

describe('Glucose Measurement (0x2A18)', () => {
  it('decodes a hand-written kg/L value: 0xB05F = 95e-5 kg/L = 95 mg/dL', () => {
    // flags 02 | sequence 0x0001 | base time 2026 (0x07EA)-11-25 07:30:00 | 0xB05F | type-location 0x11
    expect(decoded('020100ea070b19071e005fb011')).toEqual({
      ok: true,
      characteristic: '2A18',
      readings: [
        {
          type: 'blood_glucose',
          loinc: '41653-7',
          value: 95,
          unit: 'mg/dL',
          sourceValue: 0.00095,
          sourceUnit: 'kg/L',
        },
      ],
      deviceTime: new Date('2026-11-25T07:30:00Z'),
      flags: [],
      unavailable: [],
      context: {
        sequenceNumber: 1,
        glucoseSampleType: 'capillary_whole_blood',
        glucoseSampleLocation: 'finger',
      },
    });
  });

  it('converts mol/L to mmol/L and then, through the catalogue, to mg/dL', () => {
    // 5.3 mmol/L = 0.0053 mol/L = 53e-4; 5.3 × 18.016 = 95.48 → 95 mg/dL
    const [reading] = decoded(
      bleHex(u8(CONCENTRATION | MOL_PER_L), u16(1), BASE_TIME, sfloat(53, -4), FINGER_CAPILLARY),
    ).readings;
    expect(reading).toMatchObject({ value: 95, unit: 'mg/dL', sourceValue: 0.0053, sourceUnit: 'mol/L' });
  });

  it('decodes every optional field when all are present', () => {
    const result = decoded(FULL);
    expect(result.readings.map((r) => [r.value, r.unit, r.sourceValue, r.sourceUnit])).toEqual([
      [182, 'mg/dL', 0.00182, 'kg/L'],
    ]);
    expect(result.deviceTime).toEqual(new Date('2026-11-25T07:00:00Z'));
    expect(result.flags).toEqual(['device_battery_low']);
    expect(result.context).toEqual({
      sequenceNumber: 42,
      glucoseSampleType: 'capillary_plasma',
      glucoseSampleLocation: 'finger',
      glucoseContextFollows: true,
    });
    expect(result.userId).toBeUndefined();
  });

  it.each([
    [90, '2026-11-25T09:00:00Z'],
    [-30, '2026-11-25T07:00:00Z'],
    [0, '2026-11-25T07:30:00Z'],
    [-1440, '2026-11-24T07:30:00Z'],
  ])('adds a time offset of %i minutes to the base time', (minutes, expected) => {
    const result = decoded(
      bleHex(u8(TIME_OFFSET | CONCENTRATION), u16(1), BASE_TIME, s16(minutes), MG_DL_95, FINGER_CAPILLARY),
    );
    expect(result.deviceTime).toEqual(new Date(expected));
  });

  it('uses the base time alone when no offset is announced', () => {
    const result = decoded(bleHex(u8(CONCENTRATION), u16(1), BASE_TIME, MG_DL_95, FINGER_CAPILLARY));
    expect(result.deviceTime).toEqual(new Date('2026-11-25T07:30:00Z'));
  });

  it('leaves deviceTime absent when the base time is "not known", whatever the offset', () => {
    const result = decoded(
      bleHex(u8(TIME_OFFSET | CONCENTRATION), u16(1), dateTime(0, 0, 0), s16(60), MG_DL_95, FINGER_CAPILLARY),
    );
    expect(result.deviceTime).toBeUndefined();
    expect(result.readings[0].value).toBe(95);
  });

  it('rejects a record without a concentration: there is nothing to store', () => {
    expect(failed(bleHex(u8(0), u16(7), BASE_TIME))).toEqual({
      ok: false,
      reason: 'no_measurement',
      detail: 'record 7 carries no glucose concentration (flags bit 1 clear)',
    });
  });

  it.each([
    [1, 'capillary_whole_blood'],
    [2, 'capillary_plasma'],
    [3, 'venous_whole_blood'],
    [4, 'venous_plasma'],
    [5, 'arterial_whole_blood'],
    [6, 'arterial_plasma'],
    [7, 'undetermined_whole_blood'],
    [8, 'undetermined_plasma'],
    [9, 'interstitial_fluid'],
  ])('names sample type %i %s', (type, name) => {
    const result = decoded(bleHex(u8(CONCENTRATION), u16(1), BASE_TIME, MG_DL_95, u8(0xf0 | type)));
    expect(result.context.glucoseSampleType).toBe(name);
  });

  it.each([
    [1, 'finger'],
    [2, 'alternate_site_test'],
    [3, 'earlobe'],
    [15, 'not_available'],
  ])('names sample location %i %s', (location, name) => {
    const result = decoded(bleHex(u8(CONCENTRATION), u16(1), BASE_TIME, MG_DL_95, u8((location << 4) | 1)));
    expect(result.context.glucoseSampleLocation).toBe(name);
  });

  it.each([0x00, 0x0b, 0x5f, 0xe0])(
    'names neither a reserved type nor a reserved location (byte %i)',
    (byte) => {
      const result = decoded(bleHex(u8(CONCENTRATION), u16(1), BASE_TIME, MG_DL_95, u8(byte)));
      expect(result.context.glucoseSampleType).toBeUndefined();
      expect(result.context.glucoseSampleLocation).toBeUndefined();
    },
  );

  describe('sensor status annunciation', () => {
    const withStatus = (status: number): string[] =>
      decoded(
        bleHex(u8(CONCENTRATION | SENSOR_STATUS), u16(1), BASE_TIME, MG_DL_95, FINGER_CAPILLARY, u16(status)),
      ).flags;

    it.each([
      [0, 'device_battery_low'],
      [1, 'sensor_malfunction'],
      [2, 'sample_size_insufficient'],
      [3, 'strip_insertion_error'],
      [4, 'strip_type_incorrect'],
      [5, 'result_above_device_range'],
      [6, 'result_below_device_range'],
      [7, 'temperature_too_high'],
      [8, 'temperature_too_low'],
      [9, 'read_interrupted'],
      [10, 'general_device_fault'],
      [11, 'time_fault'],
    ])('maps bit %i to %s', (bit, flag) => {
      expect(withStatus(1 << bit)).toEqual([flag]);
    });

    it('raises no flag for reserved bits 12-15', () => {
      expect(withStatus(0xf000)).toEqual([]);
    });
  });

  it.each([
    ['sample type 10', 0x1a],
    ['sample location 4', 0x41],
    ['both', 0x4a],
  ])('rejects a control-solution test (%s): not the patient’s blood', (_what, byte) => {
    // A 300 mg/dL control test would otherwise raise a warning and count toward the all-clear.
    const result = failed(bleHex(u8(CONCENTRATION), u16(7), BASE_TIME, sfloat(300, -5), u8(byte)));
    expect(result.reason).toBe('control_solution');
    expect(result.detail).toContain('record 7 is a control-solution test');
  });

  it.each([
    ['+INFINITY', 600, 'above_range'],
    ['-INFINITY', 20, 'below_range'],
  ] as const)('stores a meter’s %s at its limit %i mg/dL, flagged %s', (special, value, flag) => {
    for (const unitFlag of [0, MOL_PER_L]) {
      const result = decoded(
        bleHex(
          u8(CONCENTRATION | unitFlag),
          u16(1),
          BASE_TIME,
          u16(SFLOAT_SPECIAL[special]),
          FINGER_CAPILLARY,
        ),
      );
      expect(result.readings).toEqual([
        {
          type: 'blood_glucose',
          loinc: '41653-7',
          value,
          unit: 'mg/dL',
          sourceValue: value,
          sourceUnit: 'mg/dL',
        },
      ]);
      expect(result.flags).toEqual([flag]);
      expect(result.unavailable).toEqual([]);
    }
  });

  it('keeps the sensor status beside a HI', () => {
    const result = decoded(
      bleHex(
        u8(CONCENTRATION | SENSOR_STATUS),
        u16(1),
        BASE_TIME,
        u16(SFLOAT_SPECIAL['+INFINITY']),
        FINGER_CAPILLARY,
        u16(1 << 5),
      ),
    );
    expect(result.flags).toEqual(['above_range', 'result_above_device_range']);
  });

  it.each(['NaN', 'NRes', 'reserved'] as const)(
    'rejects %s as the concentration: nothing is left to store',
    (special) => {
      const result = failed(
        bleHex(u8(CONCENTRATION), u16(1), BASE_TIME, u16(SFLOAT_SPECIAL[special]), FINGER_CAPILLARY),
      );
      expect(result).toEqual({
        ok: false,
        reason: 'special_float_value',
        detail: `blood_glucose is ${special}`,
      });
    },
  );

  it('rejects an impossible base time', () => {
    const result = failed(
      bleHex(u8(CONCENTRATION), u16(1), dateTime(2026, 2, 30), MG_DL_95, FINGER_CAPILLARY),
    );
    expect(result.reason).toBe('invalid_timestamp');
    expect(result.detail).toBe('base time 2026-2-30 0:0:0: no such day in that month');
  });

  it.each([
    [0, 'flags'],
    [1, 'sequence number'],
    [3, 'base time'],
    [9, 'base time'],
    [10, 'time offset'],
    [11, 'time offset'],
    [12, 'glucose concentration'],
    [14, 'type-sample location'],
    [15, 'sensor status annunciation'],
    [16, 'sensor status annunciation'],
  ])('rejects a value cut to %s byte(s) as truncated at the %s', (bytes, field) => {
    const result = failed(FULL.slice(0, bytes * 2));
    expect(result.reason).toBe('truncated');
    expect(result.detail.startsWith(`${field} needs`)).toBe(true);
  });

  it('ignores reserved flag bits 5-7 and trailing bytes', () => {
    const result = decoded(
      `${bleHex(u8(0xe0 | CONCENTRATION), u16(1), BASE_TIME, MG_DL_95, FINGER_CAPILLARY)}ff`,
    );
    expect(result.readings[0].value).toBe(95);
    expect(result.context.trailingBytes).toBe(1);
  });
});
