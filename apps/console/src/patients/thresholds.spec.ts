import { thresholdsByType } from './thresholds';

describe('thresholdsByType: the lines a patient’s rules draw on each chart', () => {
  it('takes threshold rules and the threshold conditions of any rules, in the catalogue unit', () => {
    const lines = thresholdsByType([
      {
        id: 'default.bp.crisis',
        definition: {
          kind: 'any',
          severity: 'critical',
          conditions: [
            { type: 'blood_pressure_systolic', operator: '>=', value: 180 },
            { type: 'blood_pressure_diastolic', operator: '>=', value: 120 },
          ],
        },
      },
      {
        id: 'fever',
        definition: {
          kind: 'threshold',
          type: 'body_temperature',
          operator: '>=',
          value: 102.2,
          unit: '[degF]',
          severity: 'warning',
        },
      },
    ]);
    expect(Object.fromEntries(lines)).toEqual({
      blood_pressure_systolic: [
        {
          type: 'blood_pressure_systolic',
          operator: '>=',
          value: 180,
          severity: 'critical',
          ruleId: 'default.bp.crisis',
        },
      ],
      blood_pressure_diastolic: [
        {
          type: 'blood_pressure_diastolic',
          operator: '>=',
          value: 120,
          severity: 'critical',
          ruleId: 'default.bp.crisis',
        },
      ],
      body_temperature: [
        { type: 'body_temperature', operator: '>=', value: 39, severity: 'warning', ruleId: 'fever' },
      ],
    });
  });

  it('draws a line once with the worst severity using it, and nothing for windowed rules', () => {
    const lines = thresholdsByType([
      {
        id: 'a',
        definition: {
          kind: 'threshold',
          type: 'heart_rate',
          operator: '>=',
          value: 120,
          severity: 'warning',
        },
      },
      {
        id: 'b',
        definition: {
          kind: 'threshold',
          type: 'heart_rate',
          operator: '>=',
          value: 120,
          severity: 'critical',
        },
      },
      {
        id: 'c',
        definition: {
          kind: 'change',
          type: 'body_weight',
          direction: 'increase',
          amount: 2,
          severity: 'warning',
        },
      },
      { id: 'd', definition: { kind: 'missed', type: 'body_weight', hours: 48, severity: 'info' } },
      {
        id: 'e',
        definition: {
          kind: 'any',
          severity: 'warning',
          conditions: [{ kind: 'average', type: 'blood_glucose', lastN: 3, operator: '>', value: 180 }],
        },
      },
      {
        id: 'f',
        definition: { kind: 'threshold', type: 'not_a_vital', operator: '>=', value: 1, severity: 'info' },
      },
    ]);
    expect(Object.fromEntries(lines)).toEqual({
      heart_rate: [{ type: 'heart_rate', operator: '>=', value: 120, severity: 'critical', ruleId: 'b' }],
    });
  });
});
