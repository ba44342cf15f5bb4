import type { VisitParticipantRole } from '@homeward/contracts';

/** A span of time in milliseconds since the epoch, `end` after `start`. */
export interface Interval {
  start: number;
  end: number;
}

/** Who counts as care staff in a visit. */
export function isStaffRole(role: VisitParticipantRole): boolean {
  return role === 'clinician' || role === 'coordinator';
}

/** The intervals merged where they touch or overlap, in order. */
export function unionOf(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Milliseconds covered by both sets of intervals (each may overlap itself). */
export function overlapMilliseconds(a: readonly Interval[], b: readonly Interval[]): number {
  const left = unionOf(a);
  const right = unionOf(b);
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i].start, right[j].start);
    const end = Math.min(left[i].end, right[j].end);
    if (end > start) total += end - start;
    if (left[i].end < right[j].end) i += 1;
    else j += 1;
  }
  return total;
}

/**
 * The visit's care time: whole seconds during which a clinician or coordinator and the patient
 * were in the room together (guests do not count). A connection still open is counted up to
 * `until`, the room's end; one with no known join is left out.
 */
export function careTimeSeconds(
  sessions: ReadonlyArray<{ role: VisitParticipantRole; joinedAt: Date | null; leftAt: Date | null }>,
  until: Date,
): number {
  const toInterval = (s: { joinedAt: Date | null; leftAt: Date | null }): Interval[] =>
    s.joinedAt ? [{ start: s.joinedAt.getTime(), end: (s.leftAt ?? until).getTime() }] : [];
  const staff = sessions.filter((s) => isStaffRole(s.role)).flatMap(toInterval);
  const patient = sessions.filter((s) => s.role === 'patient').flatMap(toInterval);
  return Math.floor(overlapMilliseconds(staff, patient) / 1000);
}
