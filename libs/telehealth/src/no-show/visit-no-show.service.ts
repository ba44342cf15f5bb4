import { Injectable } from '@nestjs/common';
import { AlertVisitEvents } from '@homeward/alerting';
import { AppConfig } from '@homeward/config';
import { AuditService } from '@homeward/identity';
import { NotificationService } from '@homeward/notifications';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database } from '@homeward/platform';
import { LiveKitRooms } from '../livekit/livekit-rooms';
import { VisitParticipantRepository } from '../visits/visit-participant.repository';
import { VisitPublisher } from '../visits/visit-publisher';
import { isMissed } from '../visits/visit-status';
import { VisitRepository } from '../visits/visit.repository';

/** Most overdue visits one sweep handles; the next sweep takes the rest. */
const SWEEP_LIMIT = 200;

/**
 * Missed visits: no patient VISIT_NO_SHOW_MINUTES after the clinician joined or after the
 * visit's time. The visit becomes `missed`, its alert's history says so, and the clinician who
 * started it is notified through the outbox.
 */
@Injectable()
export class VisitNoShowService {
  constructor(
    private readonly db: Database,
    private readonly visits: VisitRepository,
    private readonly participants: VisitParticipantRepository,
    private readonly alertEvents: AlertVisitEvents,
    private readonly notifications: NotificationService,
    private readonly livekit: LiveKitRooms,
    private readonly publisher: VisitPublisher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Re-reads the visit and does nothing unless it is missed now: jobs may run late, twice, or early. */
  async check(visitId: string, correlationId: string): Promise<boolean> {
    const result = await this.db.transaction(async (tx) => {
      const visit = await this.visits.findForUpdate(visitId, tx);
      if (!visit) return undefined;
      const sessions = await this.participants.listSessions(visit.id, tx);
      const patientJoined = sessions.some((s) => s.role === 'patient' && s.joinedAt);
      if (!isMissed(visit, patientJoined, new Date(), this.config.VISIT_NO_SHOW_MINUTES)) return undefined;
      const missed = await this.visits.update({ id: visit.id, status: 'missed', endedAt: new Date() }, tx);
      if (visit.alertId)
        await this.alertEvents.record(tx, {
          alertId: visit.alertId,
          organizationId: visit.organizationId,
          patientId: visit.patientId,
          actorUserId: null,
          action: 'video_visit_missed',
          visitId: visit.id,
        });
      const notificationIds = await this.notifications.notify(
        {
          organizationId: visit.organizationId,
          userIds: [visit.createdBy],
          kind: 'visit.missed',
          alertId: visit.alertId,
          payload: { visitId: visit.id },
        },
        tx,
      );
      await this.audit.recordUnauthenticated(
        { role: 'system', organizationId: visit.organizationId, requestId: correlationId },
        'visit.missed',
        { resourceType: 'visit', resourceId: visit.id, patientId: visit.patientId },
        tx,
      );
      return { visit: missed, notificationIds };
    });
    if (!result) return false;
    await this.notifications.dispatch(result.notificationIds);
    await this.publisher.visitUpdated(result.visit);
    if (this.livekit.configured)
      await this.livekit.closeRoom(result.visit.roomName).catch((error: unknown) => {
        this.logger.warn(
          { err: error, visitId },
          "Could not close a missed visit's room; LiveKit closes it when empty",
        );
      });
    return true;
  }

  async sweep(): Promise<number> {
    const ids = await this.visits.listOverdueScheduled(this.config.VISIT_NO_SHOW_MINUTES, SWEEP_LIMIT);
    let missed = 0;
    for (const id of ids) if (await this.check(id, `visits-sweep-${Date.now()}`)) missed += 1;
    return missed;
  }
}
