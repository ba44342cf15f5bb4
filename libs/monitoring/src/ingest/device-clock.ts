import { DEVICE_CONTRACT } from '@homeward/contracts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The flag of a measurement whose time stamp is a whole number of hours from when the hub received it. */
export const CLOCK_SUSPECT_FLAG = 'clock_suspect';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's wall-clock time at `instantMs`, as milliseconds in the UTC fields of a Date. */
function wallClockAt(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instantMs))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall + (instantMs % 1000);
}

/** The zone's offset from UTC at `instantMs`, in milliseconds (east positive). */
function offsetAt(instantMs: number, timeZone: string): number {
  return wallClockAt(instantMs, timeZone) - instantMs;
}

/**
 * The instant a wall-clock time (its fields in `wallClock`'s UTC fields) names in an IANA zone.
 * Around a daylight-saving change: a time the clocks skipped (a gap) is read with the offset in
 * force before the change, as a clock not yet moved forward shows it (02:30 in a 02:00-03:00 gap
 * is 03:30 of the new offset); a time that happened twice (an overlap) is the one nearer
 * `near` (the hub's receivedAt), since a measurement is sent soon after it is taken. An unknown
 * zone reads as UTC, as a patient without one does.
 */
export function zonedWallClockToInstant(wallClock: Date, timeZone: string, near: Date): Date {
  const wall = wallClock.getTime();
  // The usual case for a hub that says `utc`, and the cheapest: no formatting at all.
  if (timeZone === 'UTC') return new Date(wall);
  let before: number;
  let after: number;
  try {
    // A day either side brackets any change near the time (zones change at most twice a year).
    before = offsetAt(wall - DAY_MS, timeZone);
    after = offsetAt(wall + DAY_MS, timeZone);
  } catch (error) {
    if (error instanceof RangeError) return new Date(wall);
    throw error;
  }
  const candidates = [...new Set([wall - before, wall - after])].filter(
    (instant) => wallClockAt(instant, timeZone) === wall,
  );
  if (candidates.length === 0) return new Date(wall - before);
  const target = near.getTime();
  candidates.sort((a, b) => Math.abs(a - target) - Math.abs(b - target) || a - b);
  return new Date(candidates[0]);
}

/**
 * Whole hours (1 to DEVICE_CONTRACT.maxClockOffsetHours, either sign) by which `measuredAt` is
 * off `receivedAt`, within DEVICE_CONTRACT.clockSuspectToleranceMs; 0 when it is not. A device
 * clock in the wrong zone, or one that missed a daylight-saving change, is off by exactly that.
 */
export function suspectClockOffsetHours(measuredAt: Date, receivedAt: Date): number {
  const difference = measuredAt.getTime() - receivedAt.getTime();
  const hours = Math.round(difference / HOUR_MS);
  if (hours === 0 || Math.abs(hours) > DEVICE_CONTRACT.maxClockOffsetHours) return 0;
  return Math.abs(difference - hours * HOUR_MS) <= DEVICE_CONTRACT.clockSuspectToleranceMs ? hours : 0;
}
