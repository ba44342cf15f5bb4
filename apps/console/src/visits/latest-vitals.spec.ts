import { latestByVital } from './latest-vitals';

const reading = (type: string, value: number, measuredAt: string, messageId = `m-${measuredAt}`) => ({
  type: type as 'heart_rate',
  value,
  unit: type === 'heart_rate' ? '/min' : 'mm[Hg]',
  measuredAt,
  messageId,
});

describe("the patient's latest vitals beside the video", () => {
  it('keeps the newest reading of each vital, newest first', () => {
    const latest = latestByVital([
      reading('heart_rate', 70, '2026-12-01T08:00:00Z'),
      reading('heart_rate', 88, '2026-12-02T08:00:00Z'),
      reading('body_weight', 80, '2026-12-01T09:00:00Z'),
    ]);
    expect(latest.map((item) => [item.type, item.value])).toEqual([
      ['heart_rate', 88],
      ['body_weight', 80],
    ]);
  });

  it("puts a blood pressure's diastolic beside its systolic, never on its own", () => {
    const at = '2026-12-02T07:00:00Z';
    const latest = latestByVital([
      reading('blood_pressure_diastolic', 95, at, 'cuff-1'),
      reading('blood_pressure_systolic', 186, at, 'cuff-1'),
      reading('blood_pressure_diastolic', 80, '2026-12-01T07:00:00Z', 'cuff-0'),
    ]);
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ type: 'blood_pressure_systolic', value: 186 });
    expect(latest[0].alongside.map((other) => [other.type, other.value])).toEqual([
      ['blood_pressure_diastolic', 95],
    ]);
  });

  it('shows nothing for no readings', () => {
    expect(latestByVital([])).toEqual([]);
  });
});
