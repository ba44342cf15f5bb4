import { pastCriticalDefault } from './urgent-reading';

describe('pastCriticalDefault', () => {
  it('picks out readings at the default critical thresholds', () => {
    expect(pastCriticalDefault({ type: 'blood_pressure_systolic', value: 180 })).toBe(true);
    expect(pastCriticalDefault({ type: 'blood_pressure_diastolic', value: 124 })).toBe(true);
    expect(pastCriticalDefault({ type: 'oxygen_saturation', value: 91 })).toBe(true);
    expect(pastCriticalDefault({ type: 'blood_glucose', value: 53 })).toBe(true);
  });

  it('lets warnings and normal readings wait for their batch', () => {
    // Grade 2 hypertension is a warning: it is not worth a batch of its own.
    expect(pastCriticalDefault({ type: 'blood_pressure_systolic', value: 165 })).toBe(false);
    expect(pastCriticalDefault({ type: 'blood_pressure_systolic', value: 179 })).toBe(false);
    expect(pastCriticalDefault({ type: 'oxygen_saturation', value: 92 })).toBe(false);
    expect(pastCriticalDefault({ type: 'heart_rate', value: 72 })).toBe(false);
  });

  it('reads the value in the catalogue unit of its own type only', () => {
    // 186 is a crisis for systolic pressure, a normal weight in kilograms.
    expect(pastCriticalDefault({ type: 'body_weight', value: 186 })).toBe(false);
  });
});
