import { formatBirthDate, formatMeasurement, formatMoment, formatValue } from './format';

describe('patients formatting: numbers with their units, times in both zones', () => {
  it('writes values with their unit as people write it, blood pressure as systolic/diastolic', () => {
    expect(formatValue(37.5, 'Cel')).toMatch(/^37[.,]5 °C$/);
    expect(formatValue(96, '%')).toBe('96 %');
    expect(
      formatMeasurement({
        type: 'blood_pressure_systolic',
        value: 142,
        unit: 'mm[Hg]',
        alongside: [
          { type: 'blood_pressure_diastolic', value: 91, unit: 'mm[Hg]' },
          { type: 'heart_rate', value: 71, unit: '/min' },
        ],
      }),
    ).toBe('142/91 mmHg');
    expect(formatMeasurement({ type: 'heart_rate', value: 71, unit: '/min' })).toBe('71 beats/min');
  });

  it("adds the patient's local time only where it reads differently from the user's", () => {
    const at = '2026-11-26T08:30:00Z';
    const elsewhere = formatMoment(at, 'America/Chicago', 'Europe/London');
    expect(elsewhere.patient).toMatch(/02:30|2:30/);
    expect(elsewhere.user).toMatch(/08:30|8:30/);
    expect(formatMoment(at, 'Europe/Lisbon', 'Europe/London').patient).toBeNull();
    expect(formatMoment(at, null, 'UTC').patient).toBeNull();
  });

  it('gives the age a birth date makes on a day, counting the birthday itself', () => {
    expect(formatBirthDate('1948-03-14', new Date(2026, 2, 13))).toMatch(/\(77 years\)$/);
    expect(formatBirthDate('1948-03-14', new Date(2026, 2, 14))).toMatch(/\(78 years\)$/);
  });
});
