import { BadRequestException, Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { AuditService, UserService } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import { effectivePolicy, onCallAt, type EscalationPolicy } from './escalation-plan';
import type { OnCallShiftRow } from './escalation.rows';
import { EscalationRepository } from './escalation.repository';

/** Most shifts one roster holds (about three months of two shifts a day). */
export const MAX_ROSTER_SHIFTS = 200;
/** Longest single shift. */
const MAX_SHIFT_MS = 7 * 24 * 3600_000;

export interface EscalationPolicyView extends EscalationPolicy {
  source: 'organization' | 'default';
  updatedBy: string | null;
  updatedAt: Date | null;
}

export interface OnCallRosterView {
  /** Whose shift covers now; null when nobody is on call (step 1 then goes to the admins). */
  onCall: OnCallShiftRow | null;
  /** Shifts that have not ended, earliest first. */
  shifts: OnCallShiftRow[];
}

/** The escalation policy and the on-call roster of the caller's organisation, as admins set them. */
@Injectable()
export class EscalationSettingsService {
  constructor(
    private readonly db: Database,
    private readonly escalations: EscalationRepository,
    private readonly users: UserService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async getPolicy(principal: Principal): Promise<EscalationPolicyView> {
    const row = await this.escalations.findPolicy(principal.organizationId);
    await this.audit.record(principal, 'escalation.policy.read', { resourceType: 'escalation_policy' });
    return this.view(row);
  }

  /** Applies to alerts whose escalation starts from now on; steps already planned keep their times. */
  async setPolicy(principal: Principal, policy: EscalationPolicy): Promise<EscalationPolicyView> {
    const row = await this.db.transaction(async (tx) => {
      const saved = await this.escalations.upsertPolicy(
        principal.organizationId,
        policy,
        principal.userId,
        tx,
      );
      await this.audit.record(principal, 'escalation.policy.set', { resourceType: 'escalation_policy' }, tx);
      return saved;
    });
    return this.view(row);
  }

  async getRoster(principal: Principal): Promise<OnCallRosterView> {
    await this.audit.record(principal, 'oncall.read', { resourceType: 'on_call_roster' });
    return this.roster(principal.organizationId);
  }

  /**
   * Replaces the roster from now on (shifts that have not ended). Every shift must end after it
   * starts, in the future, within a week; every user must be an active colleague (else 404).
   */
  async setRoster(
    principal: Principal,
    shifts: ReadonlyArray<{ userId: string; startsAt: Date; endsAt: Date }>,
  ): Promise<OnCallRosterView> {
    const now = Date.now();
    shifts.forEach((shift, index) => {
      const problem =
        shift.endsAt.getTime() <= shift.startsAt.getTime()
          ? 'must end after it starts'
          : shift.endsAt.getTime() <= now
            ? 'has already ended'
            : shift.endsAt.getTime() - shift.startsAt.getTime() > MAX_SHIFT_MS
              ? 'is longer than 7 days'
              : undefined;
      if (problem)
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          code: 'invalid_shift',
          message: `shifts.${index} ${problem}`,
          index,
        });
    });
    for (const userId of new Set(shifts.map((shift) => shift.userId)))
      if (!(await this.users.isColleague(principal, userId))) throw new ResourceNotFoundError('User', userId);
    await this.db.transaction(async (tx) => {
      await this.escalations.replaceCurrentShifts(principal.organizationId, shifts, principal.userId, tx);
      await this.audit.record(principal, 'oncall.set', { resourceType: 'on_call_roster' }, tx);
    });
    return this.roster(principal.organizationId);
  }

  private async roster(organizationId: string): Promise<OnCallRosterView> {
    const shifts = await this.escalations.listCurrentShifts(organizationId, MAX_ROSTER_SHIFTS);
    return { onCall: onCallAt(shifts, new Date()) ?? null, shifts };
  }

  private view(
    row: (EscalationPolicy & { updatedBy: string | null; updatedAt: Date }) | undefined,
  ): EscalationPolicyView {
    const policy = effectivePolicy(row, {
      firstAfterMinutes: this.config.ESCALATION_FIRST_AFTER_MINUTES,
      thenAfterMinutes: this.config.ESCALATION_THEN_AFTER_MINUTES,
    });
    return {
      firstAfterSeconds: policy.firstAfterSeconds,
      thenAfterSeconds: policy.thenAfterSeconds,
      source: policy.source,
      updatedBy: row?.updatedBy ?? null,
      updatedAt: row?.updatedAt ?? null,
    };
  }
}
