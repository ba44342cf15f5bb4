/** A calendar month, `YYYY-MM`. */
export interface CalendarMonth {
  year: number;
  month: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Parses `YYYY-MM`; null when malformed. */
export function parseMonth(text: string): CalendarMonth | null {
  const match = MONTH.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1970) return null;
  return { year, month: Number(match[2]) };
}

export function formatMonth({ year, month }: CalendarMonth): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The month `at` falls in, on the calendar of `timeZone` (IANA; null reads as UTC). */
export function monthAt(at: Date, timeZone: string | null): CalendarMonth {
  const local = new Date(at.getTime() + zoneOffsetMs(at, timeZone ?? 'UTC'));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
}

/**
 * The instants the month starts and ends at (end exclusive): local midnight on its first day
 * and on the next month's, in `timeZone` (IANA; null reads as UTC).
 */
export function monthBounds(month: CalendarMonth, timeZone: string | null): { from: Date; to: Date } {
  const zone = timeZone ?? 'UTC';
  const next = month.month === 12 ? { year: month.year + 1, month: 1 } : { ...month, month: month.month + 1 };
  return { from: localMidnight(month, zone), to: localMidnight(next, zone) };
}

/** The instant the wall clock of `timeZone` reads 00:00 on the month's first day. */
function localMidnight({ year, month }: CalendarMonth, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  // The offset at the wall time's instant may differ from the offset at the answer when a
  // transition lies between them; a second pass settles it.
  let instant = wall - zoneOffsetMs(new Date(wall), timeZone);
  instant = wall - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms. */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}
