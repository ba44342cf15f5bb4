import { formatMonth, monthAt, monthBounds, parseMonth } from './care-time-month';

describe('care-time months', () => {
  it('reads YYYY-MM and refuses anything else', () => {
    expect(parseMonth('2026-03')).toEqual({ year: 2026, month: 3 });
    expect(parseMonth('2026-12')).toEqual({ year: 2026, month: 12 });
    for (const bad of ['2026-13', '2026-00', '2026-3', '26-03', '2026-03-01', '', ' 2026-03', '1969-12'])
      expect(parseMonth(bad)).toBeNull();
    expect(formatMonth({ year: 2026, month: 3 })).toBe('2026-03');
  });

  it('starts and ends a month at midnight UTC when the patient has no time zone', () => {
    expect(monthBounds({ year: 2026, month: 2 }, null)).toEqual({
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
    });
    expect(monthBounds({ year: 2026, month: 12 }, null).to).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it("starts and ends a month at local midnight on the patient's calendar, across a daylight-saving change", () => {
    // New York: EST (-05:00) on 1 March, EDT (-04:00) on 1 April.
    expect(monthBounds({ year: 2026, month: 3 }, 'America/New_York')).toEqual({
      from: new Date('2026-03-01T05:00:00Z'),
      to: new Date('2026-04-01T04:00:00Z'),
    });
    // Ahead of UTC: the month starts the evening before in UTC.
    expect(monthBounds({ year: 2026, month: 1 }, 'Asia/Kolkata').from).toEqual(
      new Date('2025-12-31T18:30:00Z'),
    );
  });

  it('puts 23:30 local on the last day in that month, though it is the next month in UTC', () => {
    const lateOnTheLastDay = new Date('2026-04-01T03:30:00Z'); // 23:30 EDT on 31 March
    expect(monthAt(lateOnTheLastDay, 'America/New_York')).toEqual({ year: 2026, month: 3 });
    expect(monthAt(lateOnTheLastDay, null)).toEqual({ year: 2026, month: 4 });
    const { from, to } = monthBounds({ year: 2026, month: 3 }, 'America/New_York');
    expect(lateOnTheLastDay >= from && lateOnTheLastDay < to).toBe(true);
  });
});
