import { describeBreach, describeRule } from './describe-rule';
import type { RuleDefinition } from './rule-definition';

describe('describeRule', () => {
  it.each([
    [
      { kind: 'threshold', type: 'blood_pressure_systolic', operator: '>=', value: 160, severity: 'warning' },
      'Systolic ≥ 160 mmHg',
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
      'Systolic ≥ 180 mmHg or Diastolic ≥ 120 mmHg',
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
      'Weight up 2 lb or more in 24 h',
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
      'Weight up 2 kg or more from dry weight',
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
      'Average systolic of the last 14 readings within 7 d ≥ 135 mmHg, for 60 min',
    ],
    [{ kind: 'missed', type: 'body_weight', hours: 48, severity: 'info' }, 'No weight reading for 48 h'],
  ] as const)('describes %j as %s', (rule, words) => {
    expect(describeRule(rule as never)).toBe(words);
  });
});

describe('describeBreach', () => {
  const crisis: RuleDefinition = {
    kind: 'any',
    severity: 'critical',
    conditions: [
      { type: 'blood_pressure_systolic', operator: '>=', value: 180 },
      { type: 'blood_pressure_diastolic', operator: '>=', value: 120 },
    ],
  };

  it('says the reading against the cut-off it crossed', () => {
    expect(describeBreach(crisis, { type: 'blood_pressure_systolic', value: 186, unit: 'mm[Hg]' })).toBe(
      'Systolic 186 mmHg ≥ 180',
    );
    expect(describeBreach(crisis, { type: 'blood_pressure_diastolic', value: 121, unit: 'mm[Hg]' })).toBe(
      'Diastolic 121 mmHg ≥ 120',
    );
  });

  it('names the cut-off unit when the rule is written in another unit than the reading', () => {
    const rule = {
      kind: 'threshold',
      type: 'body_weight',
      operator: '>',
      value: 220,
      unit: '[lb_av]',
      severity: 'warning',
    } as const;
    expect(describeBreach(rule, { type: 'body_weight', value: 101.2, unit: 'kg' })).toBe(
      'Weight 101.2 kg > 220 lb',
    );
  });

  it('says the reading and the rule for trends, and what is missing for missed readings', () => {
    const gain = {
      kind: 'change',
      type: 'body_weight',
      direction: 'increase',
      amount: 2,
      windowHours: 48,
      severity: 'warning',
    } as const;
    expect(describeBreach(gain, { type: 'body_weight', value: 82.4, unit: 'kg' })).toBe(
      'Weight 82.4 kg: weight up 2 kg or more in 48 h',
    );
    expect(describeBreach({ kind: 'missed', type: 'body_weight', hours: 48, severity: 'info' }, null)).toBe(
      'No weight reading for 48 h',
    );
  });
});
