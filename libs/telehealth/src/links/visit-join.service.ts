import { randomBytes } from 'node:crypto';
import { ForbiddenException, Injectable } from '@nestjs/common';
import type { VisitLinkKind, VisitParticipantRole } from '@homeward/contracts';
import { AuditService } from '@homeward/identity';
import { AccessPolicy, type Principal } from '@homeward/access';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import { LiveKitRooms, type JoinToken } from '../livekit/livekit-rooms';
import type { VisitRow } from '../telehealth.rows';
import { VisitParticipantRepository } from '../visits/visit-participant.repository';
import { visitActionAllowed } from '../visits/visit-status';
import { VisitRepository } from '../visits/visit.repository';
import { LinkExpiredError, LinkNotFoundError, LinkUsedError, VisitClosedError } from '../visits/visit.errors';
import { hashLinkCode, LINK_CODE_PATTERN, linkState } from './link-code';
import { VisitLinkRepository } from './visit-link.repository';

/** A participant's LiveKit identity: random, so LiveKit learns nothing of who it is. */
function newIdentity(): string {
  return `p_${randomBytes(16).toString('hex')}`;
}

/**
 * What LiveKit shows other participants: a role, never a name from the record. A guest's
 * label is what the clinician typed for them.
 */
const DISPLAY_NAMES: Record<VisitParticipantRole, string> = {
  clinician: 'Clinician',
  coordinator: 'Care coordinator',
  patient: 'Patient',
  guest: 'Guest',
};

/** Joining a visit's room: staff with their session, patients and guests with a one-time link. */
@Injectable()
export class VisitJoinService {
  constructor(
    private readonly db: Database,
    private readonly visits: VisitRepository,
    private readonly participants: VisitParticipantRepository,
    private readonly links: VisitLinkRepository,
    private readonly livekit: LiveKitRooms,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  /** A token for the signed-in clinician or coordinator, under their one identity in this visit. */
  async joinAsStaff(principal: Principal, id: string): Promise<JoinToken> {
    this.livekit.ensureConfigured();
    if (principal.role === 'admin') throw new ForbiddenException('Administrators do not take part in visits');
    const role = principal.role;
    const { visit, identity } = await this.db.transaction(async (tx) => {
      const found = await this.visits.findInScope(this.access.patientScope(principal), id, tx);
      const target = { resourceType: 'visit', resourceId: id, patientId: found?.patientId ?? null };
      if (!found) {
        await this.audit.record(principal, 'visit.join', { ...target, outcome: 'denied' });
        throw new ResourceNotFoundError('Visit', id);
      }
      if (!visitActionAllowed('join', found.status))
        throw new VisitClosedError(found.id, found.status, 'join');
      const participant = await this.participants.findOrCreateStaff(
        { visitId: found.id, userId: principal.userId, role, identity: newIdentity() },
        tx,
      );
      await this.audit.record(principal, 'visit.join', target, tx);
      return { visit: found, identity: participant.identity };
    });
    return this.livekit.joinToken(visit.roomName, { identity, name: DISPLAY_NAMES[role] });
  }

  /**
   * Exchanges a link's code, once, for a patient or guest token. Unknown codes answer 404, used
   * ones 410 `link_used`, expired, replaced or ended ones 410 `link_expired`.
   */
  async redeem(
    code: string,
    requestId: string | undefined,
  ): Promise<JoinToken & { visitId: string; roomName: string }> {
    this.livekit.ensureConfigured();
    if (!LINK_CODE_PATTERN.test(code)) throw new LinkNotFoundError();
    const outcome = await this.db.transaction(async (tx) => {
      const link = await this.links.findByHashForUpdate(hashLinkCode(code), tx);
      if (!link) return { ok: false as const, refused: new LinkNotFoundError() };
      const visit = (await this.visits.findForUpdate(link.visitId, tx)) as VisitRow;
      const actor = { role: link.kind, organizationId: visit.organizationId, requestId };
      const target = { resourceType: 'visit', resourceId: visit.id, patientId: visit.patientId };
      const state = linkState(link, visit.status, new Date());
      if (state !== 'valid')
        return {
          ok: false as const,
          refused: state === 'used' ? new LinkUsedError() : new LinkExpiredError(state),
          denied: { actor, target },
        };
      const participant = await this.participants.insertLinked(
        { visitId: visit.id, role: link.kind, label: link.label, identity: newIdentity() },
        tx,
      );
      await this.links.markUsed({ id: link.id, participantId: participant.id }, tx);
      await this.audit.recordUnauthenticated(actor, 'visit.link.redeem', target, tx);
      return { ok: true as const, visit, identity: participant.identity, kind: link.kind, label: link.label };
    });
    if (!outcome.ok) {
      if (outcome.denied)
        await this.audit.recordUnauthenticated(outcome.denied.actor, 'visit.link.redeem', {
          ...outcome.denied.target,
          outcome: 'denied',
        });
      throw outcome.refused;
    }
    const token = await this.livekit.joinToken(outcome.visit.roomName, {
      identity: outcome.identity,
      name: this.displayName(outcome.kind, outcome.label),
    });
    return { ...token, visitId: outcome.visit.id, roomName: outcome.visit.roomName };
  }

  private displayName(kind: VisitLinkKind, label: string | null): string {
    return kind === 'guest' && label ? label : DISPLAY_NAMES[kind];
  }
}
