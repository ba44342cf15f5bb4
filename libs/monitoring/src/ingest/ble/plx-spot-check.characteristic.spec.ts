import { bleHex, dateTime, sfloat, u16, u24, u8, SFLOAT_SPECIAL } from '@homeward/testing';
import { decodeBleMeasurement } from './ble-measurement.decoder';
import type { BleDecodeFailure, BleDecoded } from './ble-measurement';

function decoded(hex: string): BleDecoded {
  const result = decodeBleMeasurement('2A5E', hex);
  if (!result.ok) throw new Error(`expected a decoded measurement, got ${result.reason}: ${result.detail}`);
  return result;
}

function failed(hex: string): BleDecodeFailure {
  const result = decodeBleMeasurement('2A5E', hex);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

const TIME_STAMP = 0x01;
const MEASUREMENT_STATUS = 0x02;
const DEVICE_AND_SENSOR_STATUS = 0x04;
const PULSE_AMPLITUDE_INDEX = 0x08;
const CLOCK_NOT_SET = 0x10;

/** Every optional field present: 19 bytes. */
const FULL = bleHex(
  u8(TIME_STAMP | MEASUREMENT_STATUS | DEVICE_AND_SENSOR_STATUS | PULSE_AMPLITUDE_INDEX),
  sfloat(94),
  sfloat(88),
  dateTime(2026, 11, 25, 7, 15, 30),
  u16(0x0080), // validated data
  u24(0x000020), // low perfusion
  sfloat(53, -1), // 5.3 %
);

const vitals = (spo2: number, pulse: number): number[][] => [sfloat(spo2), sfloat(pulse)];

describe('PLX Spot-Check Measurement (0x2A5E)', () => {
  it('decodes a hand-written value: SpO2 0x0062 = 98 %, pulse 0x0048 = 72 /min', () => {
    expect(decoded('0062004800')).toEqual({
      ok: true,
      characteristic: '2A5E',
      readings: [
        {
          type: 'oxygen_saturation',
          loinc: '59408-5',
          value: 98,
          unit: '%',
          sourceValue: 98,
          sourceUnit: '%',
        },
        { type: 'heart_rate', loinc: '8867-4', value: 72, unit: '/min', sourceValue: 72, sourceUnit: '/min' },
      ],
      flags: [],
      unavailable: [],
      context: {},
    });
  });

  it('decodes every optional field when all are present', () => {
    const result = decoded(FULL);
    expect(result.readings.map((r) => [r.type, r.value])).toEqual([
      ['oxygen_saturation', 94],
      ['heart_rate', 88],
    ]);
    expect(result.deviceTime).toEqual(new Date('2026-11-25T07:15:30Z'));
    expect(result.flags).toEqual(['validated_data', 'low_perfusion']);
    expect(result.context).toEqual({ pulseAmplitudeIndex: 5.3 });
  });

  it('uses the time stamp only when the flag announces it', () => {
    expect(
      decoded(bleHex(u8(TIME_STAMP), ...vitals(97, 70), dateTime(2026, 1, 2, 3, 4, 5))).deviceTime,
    ).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(decoded(bleHex(u8(0), ...vitals(97, 70))).deviceTime).toBeUndefined();
  });

  it('ignores the time stamp of a device whose clock is not set, and flags it', () => {
    const result = decoded(
      bleHex(
        u8(TIME_STAMP | CLOCK_NOT_SET | MEASUREMENT_STATUS),
        ...vitals(97, 70),
        dateTime(2000, 1, 1),
        u16(0x0080),
      ),
    );
    expect(result.deviceTime).toBeUndefined();
    expect(result.flags).toEqual(['device_clock_not_set', 'validated_data']);
  });

  it('does not validate the time stamp of an unset clock (whatever it holds is meaningless)', () => {
    const result = decoded(
      bleHex(u8(TIME_STAMP | CLOCK_NOT_SET), ...vitals(97, 70), dateTime(2000, 13, 40, 99)),
    );
    expect(result.deviceTime).toBeUndefined();
    expect(result.readings).toHaveLength(2);
  });

  it('flags an unset clock when no time stamp is sent', () => {
    expect(decoded(bleHex(u8(CLOCK_NOT_SET), ...vitals(97, 70))).flags).toEqual(['device_clock_not_set']);
  });

  describe('measurement status', () => {
    const withStatus = (status: number): string[] =>
      decoded(bleHex(u8(MEASUREMENT_STATUS), ...vitals(97, 70), u16(status))).flags;

    it.each([
      [5, 'measurement_ongoing'],
      [6, 'early_estimated_data'],
      [7, 'validated_data'],
      [8, 'fully_qualified_data'],
      [9, 'data_from_measurement_storage'],
      [12, 'calibration_ongoing'],
      [13, 'measurement_unavailable'],
      [14, 'questionable_measurement'],
      [15, 'invalid_measurement'],
    ])('maps bit %i to %s', (bit, flag) => {
      expect(withStatus(1 << bit)).toEqual([flag]);
    });

    it('raises no flag for reserved bits 0-4', () => {
      expect(withStatus(0x001f)).toEqual([]);
    });

    it.each([
      [10, 'data_for_demonstration'],
      [11, 'data_for_testing'],
    ])('rejects a record with bit %i (%s): not the patient’s', (bit, flag) => {
      const result = failed(bleHex(u8(MEASUREMENT_STATUS), ...vitals(97, 70), u16((1 << bit) | 0x0080)));
      expect(result).toEqual({
        ok: false,
        reason: 'device_test_data',
        detail: `the oximeter marks the record ${flag}`,
      });
    });
  });

  describe('device and sensor status', () => {
    const withStatus = (status: number): string[] =>
      decoded(bleHex(u8(DEVICE_AND_SENSOR_STATUS), ...vitals(97, 70), u24(status))).flags;

    it.each([
      [0, 'extended_display_update_ongoing'],
      [1, 'equipment_malfunction'],
      [2, 'signal_processing_irregularity'],
      [3, 'inadequate_signal'],
      [4, 'poor_signal'],
      [5, 'low_perfusion'],
      [6, 'erratic_signal'],
      [7, 'nonpulsatile_signal'],
      [8, 'questionable_pulse'],
      [9, 'signal_analysis_ongoing'],
      [10, 'sensor_interference'],
      [11, 'sensor_unconnected_to_user'],
      [12, 'unknown_sensor_connected'],
      [13, 'sensor_displaced'],
      [14, 'sensor_malfunctioning'],
      [15, 'sensor_disconnected'],
    ])('maps bit %i to %s', (bit, flag) => {
      expect(withStatus(1 << bit)).toEqual([flag]);
    });

    it('raises no flag for reserved bits 16-23 and reads all three bytes', () => {
      const result = decoded(
        bleHex(
          u8(DEVICE_AND_SENSOR_STATUS | PULSE_AMPLITUDE_INDEX),
          ...vitals(97, 70),
          u24(0xff0000),
          sfloat(12),
        ),
      );
      expect(result.flags).toEqual([]);
      expect(result.context.pulseAmplitudeIndex).toBe(12);
    });
  });

  it.each(['NaN', 'NRes', '+INFINITY', '-INFINITY', 'reserved'] as const)(
    'leaves the pulse amplitude index out when the oximeter sends %s for it',
    (special) => {
      const result = decoded(
        bleHex(u8(PULSE_AMPLITUDE_INDEX), ...vitals(97, 70), u16(SFLOAT_SPECIAL[special])),
      );
      expect(result.context.pulseAmplitudeIndex).toBeUndefined();
      expect(result.readings).toHaveLength(2);
      expect(result.flags).toEqual([]);
    },
  );

  // No oximeter vital has a meter range: an infinity is "unavailable" like NaN.
  it.each(['NaN', 'NRes', '+INFINITY', '-INFINITY', 'reserved'] as const)(
    'keeps the pulse when SpO2 is %s, and the SpO2 when the pulse is, naming the missing one',
    (special) => {
      const value = u16(SFLOAT_SPECIAL[special]);
      const noSpo2 = decoded(bleHex(u8(0), value, sfloat(70)));
      expect(noSpo2.readings.map((r) => [r.type, r.value])).toEqual([['heart_rate', 70]]);
      expect(noSpo2.flags).toEqual(['field_unavailable:oxygen_saturation']);
      const noPulse = decoded(bleHex(u8(0), sfloat(84), value));
      expect(noPulse.readings.map((r) => [r.type, r.value])).toEqual([['oxygen_saturation', 84]]);
      expect(noPulse.unavailable).toEqual([{ type: 'heart_rate', special }]);
      expect(failed(bleHex(u8(0), value, value))).toEqual({
        ok: false,
        reason: 'special_float_value',
        detail: `oxygen_saturation is ${special}, heart_rate is ${special}`,
      });
    },
  );

  it.each([
    [0, 'flags'],
    [1, 'SpO2'],
    [3, 'pulse rate'],
    [5, 'time stamp'],
    [11, 'time stamp'],
    [12, 'measurement status'],
    [14, 'device and sensor status'],
    [16, 'device and sensor status'],
    [17, 'pulse amplitude index'],
    [18, 'pulse amplitude index'],
  ])('rejects a value cut to %s byte(s) as truncated at the %s', (bytes, field) => {
    const result = failed(FULL.slice(0, bytes * 2));
    expect(result.reason).toBe('truncated');
    expect(result.detail.startsWith(`${field} needs`)).toBe(true);
  });

  it('ignores reserved flag bits 5-7 and trailing bytes', () => {
    const result = decoded(`${bleHex(u8(0xe0), ...vitals(97, 70))}0000`);
    expect(result.readings).toHaveLength(2);
    expect(result.context.trailingBytes).toBe(2);
  });
});
