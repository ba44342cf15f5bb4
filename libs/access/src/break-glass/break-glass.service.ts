import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { AuditService, type Principal } from '@homeward/identity';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import { BreakGlassAnnouncer } from './break-glass-announcer';
import { InvalidBreakGlassReasonError } from './break-glass.errors';
import { BreakGlassRepository } from './break-glass.repository';
import type { BreakGlassGrantRow, BreakGlassListRow } from './break-glass.rows';

export const BREAK_GLASS_REASON_MAX_LENGTH = 2000;

/**
 * Break-glass: a clinician's time-limited access to a patient of the organisation outside their
 * care teams. The grant, its audit row (with the reason) and the notifications to the patient's
 * care team commit together; `careTeamScope` (and row-level security) then let the clinician see
 * the patient until `expiresAt`, each read audited as usual. A second call while a grant runs
 * records a new grant from now: rows are never changed, so each use of the glass keeps its reason.
 */
@Injectable()
export class BreakGlassService {
  constructor(
    private readonly db: Database,
    private readonly grants: BreakGlassRepository,
    private readonly audit: AuditService,
    private readonly announcer: BreakGlassAnnouncer,
    private readonly config: AppConfig,
  ) {}

  /** Role checks are the route's (clinicians only); 404 when the patient is not of the caller's organisation. */
  async grant(principal: Principal, patientId: string, reasonText: string): Promise<BreakGlassGrantRow> {
    const reason = reasonText.trim();
    if (reason.length < 1 || reason.length > BREAK_GLASS_REASON_MAX_LENGTH)
      throw new InvalidBreakGlassReasonError();
    // Break-glass reaches past the caller's scope by design: the grant's transaction runs as
    // platform work (no row-level security), kept to the organisation by the insert itself.
    const outcome = await this.db.session.unbound(() =>
      this.db.transaction(async (tx) => {
        const grant = await this.grants.insert(
          {
            organizationId: principal.organizationId,
            patientId,
            userId: principal.userId,
            reason,
            minutes: this.config.BREAK_GLASS_MINUTES,
          },
          tx,
        );
        if (!grant) return undefined;
        await this.audit.record(
          principal,
          'patient.break_glass',
          { resourceType: 'break_glass_grant', resourceId: grant.id, patientId },
          tx,
        );
        const notifications = await this.announcer.add(
          {
            organizationId: grant.organizationId,
            patientId,
            grantId: grant.id,
            userId: principal.userId,
            userName: await this.grants.userName(principal.userId, tx),
            reason,
            expiresAt: grant.expiresAt,
            recipientUserIds: await this.grants.careTeamMemberIds(patientId, principal.userId, tx),
          },
          tx,
        );
        return { grant, notifications };
      }),
    );
    if (!outcome) {
      await this.audit.record(principal, 'patient.break_glass', {
        resourceType: 'patient',
        resourceId: patientId,
        outcome: 'denied',
      });
      throw new ResourceNotFoundError('Patient', patientId);
    }
    await this.announcer.dispatch(outcome.notifications);
    return outcome.grant;
  }

  /** The organisation's grants, newest first (admins: the route says so). */
  async list(principal: Principal, page: { limit: number; offset: number }): Promise<BreakGlassListRow[]> {
    const rows = await this.grants.list(principal.organizationId, page);
    await this.audit.record(principal, 'break_glass.list', { resourceType: 'break_glass_grant' });
    return rows;
  }
}
