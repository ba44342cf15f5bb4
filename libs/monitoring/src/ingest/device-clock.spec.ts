import { suspectClockOffsetHours, zonedWallClockToInstant } from './device-clock';

const wall = (iso: string) => new Date(`${iso}Z`);
const at = (iso: string) => new Date(iso);
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

describe('zonedWallClockToInstant', () => {
  it('reads a wall-clock time in the zone it names', () => {
    expect(
      zonedWallClockToInstant(wall('2026-07-01T08:00:00'), 'Europe/Berlin', at('2026-07-01T06:05:00Z')),
    ).toEqual(at('2026-07-01T06:00:00Z'));
    expect(
      zonedWallClockToInstant(wall('2026-01-15T08:00:00'), 'America/New_York', at('2026-01-15T13:05:00Z')),
    ).toEqual(at('2026-01-15T13:00:00Z'));
    expect(
      zonedWallClockToInstant(wall('2026-01-15T08:00:00'), 'Pacific/Kiritimati', at('2026-01-14T18:00:00Z')),
    ).toEqual(at('2026-01-14T18:00:00Z'));
    expect(
      zonedWallClockToInstant(wall('2026-01-15T08:00:00'), 'Asia/Kolkata', at('2026-01-15T02:30:00Z')),
    ).toEqual(at('2026-01-15T02:30:00Z'));
  });

  it('reads UTC as itself, and an unknown zone as UTC', () => {
    expect(zonedWallClockToInstant(wall('2026-03-29T02:30:00'), 'UTC', at('2026-03-29T02:30:00Z'))).toEqual(
      at('2026-03-29T02:30:00Z'),
    );
    expect(
      zonedWallClockToInstant(wall('2026-03-29T02:30:00'), 'Mars/Olympus', at('2026-03-29T02:30:00Z')),
    ).toEqual(at('2026-03-29T02:30:00Z'));
  });

  it('reads a time in a spring-forward gap with the offset before it (Berlin 02:30 on 29 March 2026)', () => {
    // Clocks went 02:00 CET -> 03:00 CEST: 02:30 never happened; a clock not yet moved shows it at 01:30Z.
    expect(
      zonedWallClockToInstant(wall('2026-03-29T02:30:00'), 'Europe/Berlin', at('2026-03-29T01:31:00Z')),
    ).toEqual(at('2026-03-29T01:30:00Z'));
  });

  it('reads a time that happened twice (Berlin 02:30 on 25 October 2026) as the one nearer receivedAt', () => {
    // 02:30 CEST is 00:30Z, 02:30 CET is 01:30Z.
    expect(
      zonedWallClockToInstant(wall('2026-10-25T02:30:00'), 'Europe/Berlin', at('2026-10-25T00:32:00Z')),
    ).toEqual(at('2026-10-25T00:30:00Z'));
    expect(
      zonedWallClockToInstant(wall('2026-10-25T02:30:00'), 'Europe/Berlin', at('2026-10-25T01:32:00Z')),
    ).toEqual(at('2026-10-25T01:30:00Z'));
  });

  it('handles the southern hemisphere and New York changes on their own dates', () => {
    // Sydney: 5 April 2026 03:00 AEDT -> 02:00 AEST; 02:30 happened twice.
    expect(
      zonedWallClockToInstant(wall('2026-04-05T02:30:00'), 'Australia/Sydney', at('2026-04-04T16:31:00Z')),
    ).toEqual(at('2026-04-04T16:30:00Z'));
    // New York: 8 March 2026 02:00 EST -> 03:00 EDT; 02:30 is in the gap, read as EST.
    expect(
      zonedWallClockToInstant(wall('2026-03-08T02:30:00'), 'America/New_York', at('2026-03-08T07:31:00Z')),
    ).toEqual(at('2026-03-08T07:30:00Z'));
  });
});

describe('suspectClockOffsetHours', () => {
  const received = at('2026-11-25T07:30:00Z');

  it.each([-14, -13, -5, -1, 1, 2, 9, 13, 14])('names a clock off by %i whole hours', (hours) => {
    expect(suspectClockOffsetHours(new Date(received.getTime() + hours * HOUR), received)).toBe(hours);
    // Within two minutes either way: the measurement came a little before it was received.
    expect(suspectClockOffsetHours(new Date(received.getTime() + hours * HOUR - 2 * MINUTE), received)).toBe(
      hours,
    );
    expect(suspectClockOffsetHours(new Date(received.getTime() + hours * HOUR + 2 * MINUTE), received)).toBe(
      hours,
    );
  });

  it('suspects nothing within the hour, off the whole hour by more than 2 minutes, or beyond 14 hours', () => {
    expect(suspectClockOffsetHours(new Date(received.getTime() - 10 * MINUTE), received)).toBe(0);
    expect(suspectClockOffsetHours(new Date(received.getTime() - HOUR - 3 * MINUTE), received)).toBe(0);
    expect(suspectClockOffsetHours(new Date(received.getTime() + 5 * HOUR + 30 * MINUTE), received)).toBe(0);
    expect(suspectClockOffsetHours(new Date(received.getTime() - 15 * HOUR), received)).toBe(0);
    expect(suspectClockOffsetHours(received, received)).toBe(0);
  });
});
