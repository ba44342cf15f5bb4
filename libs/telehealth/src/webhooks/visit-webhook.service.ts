import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isClosedVisitStatus } from '@homeward/contracts';
import { AuditService } from '@homeward/identity';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, type Queryable } from '@homeward/platform';
import { LiveKitRooms } from '../livekit/livekit-rooms';
import { VisitScheduler } from '../no-show/visit-scheduler';
import type { VisitRow } from '../telehealth.rows';
import { InvalidWebhookSignatureError } from '../visits/visit.errors';
import { VisitLifecycle } from '../visits/visit-lifecycle';
import { VisitParticipantRepository } from '../visits/visit-participant.repository';
import { VisitPublisher } from '../visits/visit-publisher';
import { statusAfterRoomFinished } from '../visits/visit-status';
import { VisitRepository } from '../visits/visit.repository';
import { webhookChange, type WebhookChange } from './webhook-change';
import { WebhookEventRepository } from './webhook-event.repository';

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * LiveKit's webhooks (https://docs.livekit.io/home/server/webhooks/): verified against the raw
 * body, applied once per event id, in any order. Joins and leaves are kept per connection, so a
 * leave that arrives before its join, or a join after the room finished, still ends up right.
 */
@Injectable()
export class VisitWebhookService {
  constructor(
    private readonly db: Database,
    private readonly visits: VisitRepository,
    private readonly participants: VisitParticipantRepository,
    private readonly events: WebhookEventRepository,
    private readonly lifecycle: VisitLifecycle,
    private readonly livekit: LiveKitRooms,
    private readonly publisher: VisitPublisher,
    private readonly scheduler: VisitScheduler,
    private readonly audit: AuditService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async receive(
    body: Buffer | undefined,
    authorization: string | undefined,
    requestId: string | undefined,
  ): Promise<WebhookOutcome> {
    this.livekit.ensureConfigured();
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
    const event = await this.livekit.verifyWebhook(text, authorization);
    if (!event) {
      await this.audit.recordUnauthenticated(
        { role: 'livekit', organizationId: null, requestId },
        'visit.webhook.rejected',
        { resourceType: 'livekit_webhook', outcome: 'denied' },
      );
      this.logger.warn(
        { requestId, bytes: text.length },
        'LiveKit webhook refused: bad or missing signature',
      );
      throw new InvalidWebhookSignatureError();
    }
    const change = webhookChange(event, new Date());
    // LiveKit gives every event an id; a body without one is keyed by its own hash.
    const id = event.id || `sha256-${createHash('sha256').update(text).digest('hex')}`;
    const result = await this.db.transaction(async (tx) => {
      if (!(await this.events.claim({ id, event: event.event, roomName: change.room }, tx)))
        return { outcome: 'duplicate' as const };
      if (change.kind === 'ignored' || !change.room) return { outcome: 'ignored' as const };
      const visit = await this.visits.findByRoomForUpdate(change.room, tx);
      if (!visit) return { outcome: 'ignored' as const };
      const updated = await this.apply(visit, change, tx);
      if (!updated) return { outcome: 'ignored' as const };
      await this.audit.recordUnauthenticated(
        { role: 'livekit', organizationId: visit.organizationId, requestId },
        'visit.update',
        { resourceType: 'visit', resourceId: visit.id, patientId: visit.patientId },
        tx,
      );
      return { outcome: 'applied' as const, before: visit, visit: updated };
    });
    if (result.outcome === 'applied') {
      await this.publisher.visitUpdated(result.visit);
      if (!result.before.staffJoinedAt && result.visit.staffJoinedAt)
        await this.scheduler.scheduleNoShow(result.visit, requestId);
    }
    return result.outcome;
  }

  /** The visit after the change, or undefined when the change is not about it. */
  private async apply(visit: VisitRow, change: WebhookChange, tx: Queryable): Promise<VisitRow | undefined> {
    switch (change.kind) {
      case 'joined':
      case 'left': {
        // An identity from another visit's room (a token replayed elsewhere) is not this visit's.
        const participant = await this.participants.findByIdentity(visit.id, change.identity, tx);
        if (!participant) return undefined;
        // Nobody is in a visit after its end, whatever LiveKit reports later.
        const at = visit.endedAt && visit.endedAt.getTime() < change.at.getTime() ? visit.endedAt : change.at;
        const session = { sid: change.sid, participantId: participant.id, at };
        if (change.kind === 'joined')
          await this.participants.recordJoin({ ...session, closedAt: visit.endedAt }, tx);
        else await this.participants.recordLeave(session, tx);
        if (!isClosedVisitStatus(visit.status)) return this.lifecycle.applyPresence(visit, tx);
        await this.participants.refreshTotals(visit.id, tx);
        return visit;
      }
      case 'room_finished': {
        if (isClosedVisitStatus(visit.status)) {
          // Ended here first (or missed, cancelled): whoever LiveKit still had is closed at that end.
          await this.participants.closeOpenSessions(visit.id, visit.endedAt ?? change.at, tx);
          await this.participants.refreshTotals(visit.id, tx);
          return undefined;
        }
        const anyoneJoined = (await this.participants.listSessions(visit.id, tx)).some((s) => s.joinedAt);
        if (statusAfterRoomFinished(visit.status, anyoneJoined) !== 'completed') return undefined;
        return this.lifecycle.complete(visit, change.at, tx);
      }
      case 'ignored':
        return undefined;
    }
  }
}
