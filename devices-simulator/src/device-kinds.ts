import type { DeviceKind, VitalType } from '@homeward/contracts';

/**
 * What each simulated device kind measures, in the order it reports. A hub forwards one
 * reading of every type (the heart rate from its cuff), because a message may not repeat a type.
 */
export function vitalsMeasuredBy(kind: DeviceKind): readonly VitalType[] {
  switch (kind) {
    case 'bp_cuff':
      return ['blood_pressure_systolic', 'blood_pressure_diastolic', 'heart_rate'];
    case 'scale':
      return ['body_weight'];
    case 'pulse_oximeter':
      return ['oxygen_saturation', 'heart_rate'];
    case 'glucometer':
      return ['blood_glucose'];
    case 'thermometer':
      return ['body_temperature'];
    case 'hub':
      return [
        'blood_pressure_systolic',
        'blood_pressure_diastolic',
        'heart_rate',
        'oxygen_saturation',
        'body_weight',
        'body_temperature',
        'blood_glucose',
      ];
  }
}
