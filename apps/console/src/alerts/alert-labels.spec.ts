import { latestValueLabel } from './alert-labels';

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
