import { describeRule } from './describe-rule';

describe('describeRule', () => {
  it.each([
    [
      { kind: 'threshold', type: 'blood_pressure_systolic', operator: '>=', value: 160, severity: 'warning' },
      'Systolic ≥ 160 mm[Hg]',
    ],
    [
      {
        kind: 'threshold',
        type: 'oxygen_saturation',
        operator: '<',
        value: 90,
        severity: 'critical',
        consecutive: 2,
      },
      'SpO2 < 90 %, 2 times in a row',
    ],
    [
      {
        kind: 'any',
        severity: 'critical',
        conditions: [
          { type: 'blood_pressure_systolic', operator: '>=', value: 180 },
          { type: 'blood_pressure_diastolic', operator: '>=', value: 120 },
        ],
      },
      'Systolic ≥ 180 mm[Hg] or Diastolic ≥ 120 mm[Hg]',
    ],
    [
      {
        kind: 'change',
        type: 'body_weight',
        direction: 'increase',
        amount: 2,
        unit: '[lb_av]',
        windowHours: 24,
        severity: 'warning',
      },
      'Weight up more than 2 [lb_av] in 24 h',
    ],
    [
      {
        kind: 'change',
        type: 'body_weight',
        direction: 'increase',
        amount: 2,
        baseline: 'dry_weight',
        severity: 'warning',
      },
      'Weight up more than 2 kg from dry weight',
    ],
    [
      {
        kind: 'average',
        type: 'blood_pressure_systolic',
        lastN: 14,
        windowDays: 7,
        operator: '>=',
        value: 135,
        severity: 'info',
        sustainedMinutes: 60,
      },
      'Average systolic of the last 14 readings within 7 d ≥ 135 mm[Hg], for 60 min',
    ],
    [{ kind: 'missed', type: 'body_weight', hours: 48, severity: 'info' }, 'No weight reading for 48 h'],
  ] as const)('describes %j as %s', (rule, words) => {
    expect(describeRule(rule as never)).toBe(words);
  });
});
