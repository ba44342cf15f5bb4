import { latestValueLabel, latestValueText } from './alert-labels';

const trigger = {
  type: 'weight',
  value: 63.2,
  unit: 'kg',
  measuredAt: '2026-12-01T08:00:00.000Z',
  deviceId: 'd',
  messageId: 'm',
};

describe('the latest value beside an alert summary', () => {
  it('shows the latest value when it differs from the one that raised the alert', () => {
    expect(latestValueLabel({ trigger, lastValue: 82.5 })).toBe('latest 82.5 kg');
  });

  it('says nothing when the latest value is the trigger, or when there is no value', () => {
    expect(latestValueLabel({ trigger, lastValue: 63.2 })).toBeNull();
    expect(latestValueLabel({ trigger, lastValue: null })).toBeNull();
    expect(latestValueLabel({ trigger: null, lastValue: null })).toBeNull();
  });

  it('names units as the contracts display them', () => {
    expect(
      latestValueLabel({ trigger: { ...trigger, type: 'weight', unit: '[lb_av]' }, lastValue: 181 }),
    ).toBe('latest 181 lb');
  });
});

describe('a blood pressure latest value', () => {
  const systolic = { ...trigger, type: 'blood_pressure_systolic', value: 186, unit: 'mm[Hg]' };

  it('shows systolic and diastolic together when the other half is known', () => {
    expect(latestValueText({ trigger: systolic, lastValue: 158 }, 96)).toBe('158/96 mmHg');
    expect(latestValueLabel({ trigger: systolic, lastValue: 158 }, 96)).toBe('latest 158/96 mmHg');
    const diastolic = { ...systolic, type: 'blood_pressure_diastolic', value: 124 };
    expect(latestValueText({ trigger: diastolic, lastValue: 96 }, 158)).toBe('158/96 mmHg');
  });

  it('names the half it shows while the other half is not loaded (the queue row), so 96 is never read as a systolic', () => {
    expect(latestValueText({ trigger: systolic, lastValue: 158 })).toBe('systolic 158 mmHg');
    expect(latestValueText({ trigger: systolic, lastValue: 158 }, null)).toBe('systolic 158 mmHg');
    const diastolic = { ...systolic, type: 'blood_pressure_diastolic', value: 124 };
    expect(latestValueLabel({ trigger: diastolic, lastValue: 96 })).toBe('latest diastolic 96 mmHg');
  });

  it('never pairs values of other vitals', () => {
    expect(latestValueText({ trigger, lastValue: 82.5 }, 96)).toBe('82.5 kg');
  });
});
