import { Injectable } from '@nestjs/common';
import { CareTimeService } from '@homeward/care';
import type { Queryable } from '@homeward/platform';
import type { VisitRow, VisitSessionRow } from '../telehealth.rows';
import { careTimeSeconds, isStaffRole } from './visit-overlap';
import { VisitParticipantRepository } from './visit-participant.repository';
import { statusAfterPresence } from './visit-status';
import { VisitRepository } from './visit.repository';

function earliestJoin(sessions: readonly VisitSessionRow[]): Date | null {
  const times = sessions.flatMap((s) => (s.joinedAt ? [s.joinedAt.getTime()] : []));
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

/**
 * The steps every path that changes a visit shares, inside the caller's transaction: its state
 * from who is in the room, and its completion (closing whoever is still marked present, and
 * adding the time staff and patient spent together to the patient's care time).
 */
@Injectable()
export class VisitLifecycle {
  constructor(
    private readonly visits: VisitRepository,
    private readonly participants: VisitParticipantRepository,
    private readonly careTime: CareTimeService,
  ) {}

  /** Re-derives the state and first-join times from the connections recorded so far. */
  async applyPresence(visit: VisitRow, q: Queryable): Promise<VisitRow> {
    await this.participants.refreshTotals(visit.id, q);
    const sessions = await this.participants.listSessions(visit.id, q);
    const open = sessions.filter((s) => s.joinedAt && !s.leftAt);
    const status = statusAfterPresence(visit.status, {
      staffPresent: open.some((s) => isStaffRole(s.role)),
      patientPresent: open.some((s) => s.role === 'patient'),
    });
    return this.visits.update(
      {
        id: visit.id,
        status,
        startedAt: earliestJoin(sessions),
        staffJoinedAt: earliestJoin(sessions.filter((s) => isStaffRole(s.role))),
      },
      q,
    );
  }

  /** Completes the visit at `at`; its care time goes to the ledger when staff and patient met. */
  async complete(visit: VisitRow, at: Date, q: Queryable): Promise<VisitRow> {
    await this.participants.closeOpenSessions(visit.id, at, q);
    await this.participants.refreshTotals(visit.id, q);
    const sessions = await this.participants.listSessions(visit.id, q);
    const completed = await this.visits.update(
      { id: visit.id, status: 'completed', endedAt: at, startedAt: earliestJoin(sessions) },
      q,
    );
    const seconds = careTimeSeconds(sessions, completed.endedAt ?? at);
    if (seconds > 0)
      await this.careTime.recordVisitTime(q, {
        organizationId: visit.organizationId,
        patientId: visit.patientId,
        visitId: visit.id,
        seconds,
        performedAt: completed.startedAt ?? at,
        performedBy: visit.createdBy,
      });
    return completed;
  }

  /** Cancels the visit at `at`: whoever is still marked present is closed there; no care time. */
  async cancel(visit: VisitRow, at: Date, q: Queryable): Promise<VisitRow> {
    await this.participants.closeOpenSessions(visit.id, at, q);
    await this.participants.refreshTotals(visit.id, q);
    return this.visits.update({ id: visit.id, status: 'cancelled', endedAt: at }, q);
  }
}
