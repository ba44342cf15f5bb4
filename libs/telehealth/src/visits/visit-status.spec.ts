import { VISIT_STATUSES } from '@homeward/contracts';
import {
  isMissed,
  noShowDeadline,
  statusAfterPresence,
  statusAfterRoomFinished,
  visitActionAllowed,
} from './visit-status';

const minutes = (n: number) => new Date(Date.UTC(2026, 0, 1, 10, n));

describe('a video visit state', () => {
  it('waits while the patient is alone, starts when staff and patient meet, and stays started', () => {
    const alone = { staffPresent: false, patientPresent: true };
    const both = { staffPresent: true, patientPresent: true };
    const staffOnly = { staffPresent: true, patientPresent: false };
    const nobody = { staffPresent: false, patientPresent: false };
    expect(statusAfterPresence('scheduled', alone)).toBe('waiting');
    expect(statusAfterPresence('scheduled', staffOnly)).toBe('scheduled');
    expect(statusAfterPresence('waiting', both)).toBe('in_progress');
    expect(statusAfterPresence('waiting', nobody)).toBe('scheduled');
    expect(statusAfterPresence('in_progress', nobody)).toBe('in_progress');
    for (const closed of ['completed', 'missed', 'cancelled'] as const)
      expect(statusAfterPresence(closed, both)).toBe(closed);
  });

  it('completes when the room finishes after anyone joined, and never reopens a closed visit', () => {
    expect(statusAfterRoomFinished('in_progress', true)).toBe('completed');
    expect(statusAfterRoomFinished('waiting', true)).toBe('completed');
    expect(statusAfterRoomFinished('scheduled', true)).toBe('completed');
    expect(statusAfterRoomFinished('scheduled', false)).toBe('scheduled');
    expect(statusAfterRoomFinished('cancelled', true)).toBe('cancelled');
    expect(statusAfterRoomFinished('missed', true)).toBe('missed');
  });

  it('allows ending any open visit, cancelling only one that has not started, nothing on a closed one', () => {
    const open = VISIT_STATUSES.filter((s) => visitActionAllowed('end', s));
    expect(open).toEqual(['scheduled', 'waiting', 'in_progress']);
    expect(VISIT_STATUSES.filter((s) => visitActionAllowed('cancel', s))).toEqual(['scheduled', 'waiting']);
    expect(VISIT_STATUSES.filter((s) => visitActionAllowed('join', s))).toEqual(open);
  });

  it('is missed VISIT_NO_SHOW_MINUTES after the clinician joined or after its time, whichever is first', () => {
    const visit = { scheduledFor: minutes(30), createdAt: minutes(0), staffJoinedAt: null };
    expect(noShowDeadline(visit, 15)).toEqual(minutes(45));
    expect(noShowDeadline({ ...visit, staffJoinedAt: minutes(20) }, 15)).toEqual(minutes(35));
    expect(noShowDeadline({ ...visit, scheduledFor: null }, 15)).toEqual(minutes(15));
    const scheduled = { ...visit, status: 'scheduled' as const };
    expect(isMissed(scheduled, false, minutes(44), 15)).toBe(false);
    expect(isMissed(scheduled, false, minutes(45), 15)).toBe(true);
    expect(isMissed(scheduled, true, minutes(50), 15)).toBe(false);
    expect(isMissed({ ...scheduled, status: 'waiting' }, false, minutes(50), 15)).toBe(false);
    expect(isMissed({ ...scheduled, status: 'cancelled' }, false, minutes(50), 15)).toBe(false);
  });
});
