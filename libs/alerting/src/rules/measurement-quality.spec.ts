import { VITAL_TYPES } from '@homeward/contracts';
import { measurementKey } from './rule-series';
import {
  flagNote,
  judgesOneReading,
  NOTED_FLAGS,
  UNRELIABLE_FLAGS,
  unreliableFlags,
  unreliableMeasurements,
} from './measurement-quality';

describe('which device flags make a reading unreliable', () => {
  it.each([
    ['blood_pressure_systolic', ['body_movement', 'cuff_too_loose', 'improper_position']],
    ['blood_pressure_diastolic', ['body_movement', 'cuff_too_loose', 'improper_position']],
    ['heart_rate', ['body_movement', 'low_perfusion', 'sensor_displaced']],
    [
      'oxygen_saturation',
      ['low_perfusion', 'erratic_signal', 'questionable_measurement', 'sensor_displaced', 'poor_signal'],
    ],
    ['blood_glucose', ['strip_insertion_error', 'sample_size_insufficient', 'temperature_too_low']],
  ])('doubts %s when the device reports %j', (type, flags) => {
    expect(unreliableFlags(type, flags)).toEqual(flags);
  });

  it('never doubts a reading for an irregular pulse: that may be atrial fibrillation, a finding itself', () => {
    for (const type of VITAL_TYPES) expect(UNRELIABLE_FLAGS[type].has('irregular_pulse')).toBe(false);
    expect(NOTED_FLAGS.has('irregular_pulse')).toBe(true);
    expect(unreliableFlags('blood_pressure_systolic', ['irregular_pulse'])).toEqual([]);
  });

  it('keeps a glucose result beyond the meter range: the true value is more extreme still', () => {
    expect(
      unreliableFlags('blood_glucose', ['result_above_device_range', 'result_below_device_range']),
    ).toEqual([]);
  });

  it('ignores flags about other things than the value (battery, clock, the pulse range bits, late)', () => {
    expect(
      unreliableFlags('blood_pressure_systolic', [
        'pulse_rate_exceeds_upper_limit',
        'device_battery_low',
        'device_clock_not_set',
        'late',
      ]),
    ).toEqual([]);
  });

  it('does not doubt a blood pressure for an oximeter fault, nor a SpO2 for a cuff fault', () => {
    expect(unreliableFlags('blood_pressure_systolic', ['low_perfusion'])).toEqual([]);
    expect(unreliableFlags('oxygen_saturation', ['cuff_too_loose', 'body_movement'])).toEqual([]);
  });

  it('has nothing to doubt for types whose characteristics carry no status bits, or unknown types', () => {
    expect(unreliableFlags('body_weight', ['body_movement'])).toEqual([]);
    expect(unreliableFlags('body_temperature', ['body_movement'])).toEqual([]);
    expect(unreliableFlags('unknown', ['body_movement'])).toEqual([]);
    expect(unreliableFlags('blood_pressure_systolic', undefined)).toEqual([]);
  });

  it('names the unreliable and the noted flags in an alert summary, and nothing else', () => {
    expect(
      flagNote('blood_pressure_systolic', ['body_movement', 'irregular_pulse', 'device_battery_low']),
    ).toBe('; device flagged body_movement, irregular_pulse');
    expect(flagNote('blood_pressure_systolic', ['device_battery_low'])).toBe('');
    expect(flagNote('blood_pressure_systolic', [])).toBe('');
  });

  it('says a meter read HI or LO, and holds neither for a re-measurement', () => {
    expect(flagNote('blood_glucose', ['above_range'])).toBe(' — meter read HI (above its measuring range)');
    expect(flagNote('blood_glucose', ['below_range', 'strip_insertion_error'])).toBe(
      ' — meter read LO (below its measuring range); device flagged strip_insertion_error',
    );
    expect(unreliableFlags('blood_glucose', ['above_range', 'below_range'])).toEqual([]);
  });

  it('doubts an oximeter reading it marks measurement_unavailable, and ignores unavailable-field notes', () => {
    expect(unreliableFlags('oxygen_saturation', ['measurement_unavailable'])).toEqual([
      'measurement_unavailable',
    ]);
    expect(unreliableFlags('heart_rate', ['measurement_unavailable'])).toEqual(['measurement_unavailable']);
    expect(
      unreliableFlags('blood_pressure_systolic', ['field_unavailable:heart_rate', 'clock_suspect']),
    ).toEqual([]);
  });

  it('applies to rules judging one reading, not to averages and changes', () => {
    expect(
      judgesOneReading({
        kind: 'threshold',
        type: 'heart_rate',
        operator: '>=',
        value: 120,
        severity: 'warning',
      }),
    ).toBe(true);
    expect(
      judgesOneReading({
        kind: 'any',
        severity: 'critical',
        conditions: [{ type: 'blood_pressure_systolic', operator: '>=', value: 180 }],
      }),
    ).toBe(true);
    expect(
      judgesOneReading({
        kind: 'any',
        severity: 'info',
        conditions: [
          { kind: 'average', type: 'blood_pressure_systolic', lastN: 28, operator: '>=', value: 135 },
        ],
      }),
    ).toBe(false);
    expect(
      judgesOneReading({
        kind: 'change',
        type: 'body_weight',
        direction: 'increase',
        amount: 2,
        baseline: 'dry_weight',
        severity: 'warning',
      }),
    ).toBe(false);
  });

  it('marks a whole measurement unreliable when its readings carry such a flag', () => {
    const measuredAt = new Date('2026-11-26T07:00:00Z');
    const reading = (messageId: string, type: string, flags: string[]) => ({
      patientId: 'p1',
      deviceId: 'd1',
      messageId,
      measuredAt,
      type,
      value: 1,
      unit: 'x',
      flags,
    });
    const keys = unreliableMeasurements([
      reading('m1', 'blood_pressure_systolic', ['cuff_too_loose']),
      reading('m2', 'blood_pressure_systolic', ['irregular_pulse']),
      reading('m3', 'body_weight', ['body_movement']),
    ]);
    expect([...keys]).toEqual([measurementKey(reading('m1', 'blood_pressure_systolic', []))]);
  });
});
