import { isClosedVisitStatus, type VisitStatus } from '@homeward/contracts';

/** Who is in the room now, by the connections LiveKit reported. */
export interface RoomPresence {
  staffPresent: boolean;
  patientPresent: boolean;
}

/**
 * The visit's state after someone joined or left: `in_progress` once staff and the patient have
 * been there together (it stays so until the visit ends), `waiting` while the patient is there
 * alone (guests do not count), otherwise `scheduled`. Closed visits never change.
 */
export function statusAfterPresence(status: VisitStatus, presence: RoomPresence): VisitStatus {
  if (isClosedVisitStatus(status) || status === 'in_progress') return status;
  if (presence.patientPresent && presence.staffPresent) return 'in_progress';
  return presence.patientPresent ? 'waiting' : 'scheduled';
}

/**
 * The visit's state once LiveKit closed its room: completed if anyone had joined; a room that
 * timed out empty leaves the visit to the no-show check.
 */
export function statusAfterRoomFinished(status: VisitStatus, anyoneJoined: boolean): VisitStatus {
  if (isClosedVisitStatus(status)) return status;
  return status === 'in_progress' || status === 'waiting' || anyoneJoined ? 'completed' : status;
}

/** What people may do to a visit, from which states. */
export const VISIT_ACTIONS = {
  end: ['scheduled', 'waiting', 'in_progress'],
  cancel: ['scheduled', 'waiting'],
  join: ['scheduled', 'waiting', 'in_progress'],
  link: ['scheduled', 'waiting', 'in_progress'],
} as const satisfies Record<string, readonly VisitStatus[]>;
export type VisitAction = keyof typeof VISIT_ACTIONS;

export function visitActionAllowed(action: VisitAction, status: VisitStatus): boolean {
  return (VISIT_ACTIONS[action] as readonly VisitStatus[]).includes(status);
}

/**
 * When a visit without its patient becomes missed: VISIT_NO_SHOW_MINUTES after the first
 * clinician or coordinator joined, or after `scheduledFor` (its creation when it has none),
 * whichever comes first.
 */
export function noShowDeadline(
  visit: { scheduledFor: Date | null; createdAt: Date; staffJoinedAt: Date | null },
  noShowMinutes: number,
): Date {
  const from = [visit.scheduledFor ?? visit.createdAt, visit.staffJoinedAt]
    .filter((d): d is Date => d !== null)
    .map((d) => d.getTime());
  return new Date(Math.min(...from) + noShowMinutes * 60_000);
}

/** Whether the visit is missed at `now`: still scheduled, its patient never joined, past the deadline. */
export function isMissed(
  visit: { status: VisitStatus; scheduledFor: Date | null; createdAt: Date; staffJoinedAt: Date | null },
  patientEverJoined: boolean,
  now: Date,
  noShowMinutes: number,
): boolean {
  return (
    visit.status === 'scheduled' &&
    !patientEverJoined &&
    now.getTime() >= noShowDeadline(visit, noShowMinutes).getTime()
  );
}
