import { Injectable } from '@nestjs/common';
import type { UserRole } from '@homeward/contracts';
import { Database, ResourceNotFoundError, type Queryable } from '@homeward/platform';
import type { Principal } from '../principal';
import { AuditService } from '../audit/audit.service';
import { hashPassword, verifyPassword } from '../auth/password';
import type { UserListRow, UserRow } from '../identity.rows';
import { SessionService } from '../sessions/session.service';
import { InvitationMailer } from './invitation-mailer';
import { InvitationRepository } from './invitation.repository';
import { InvitationService, type IssuedInvitation } from './invitation.service';
import { NewUserCareTeams } from './new-user-care-teams';
import { passwordProblem } from './password-policy';
import { LastAdminError, UserDisabledError, WeakPasswordError, WrongPasswordError } from './user.errors';
import { UserRepository } from './user.repository';

/**
 * An admin managing their organisation's people: invitations, roles, disabling. Every change
 * commits with its audit row; the organisation always keeps one active admin.
 */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly db: Database,
    private readonly users: UserRepository,
    private readonly invitations: InvitationRepository,
    private readonly invitationLinks: InvitationService,
    private readonly mailer: InvitationMailer,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly careTeams: NewUserCareTeams,
  ) {}

  /**
   * Creates the user, in the care teams named (teams of the organisation), and emails them an
   * invitation link, also returned to the admin.
   */
  async invite(
    principal: Principal,
    input: { email: string; displayName: string; role: UserRole; careTeamIds?: readonly string[] },
  ): Promise<{ user: UserRow; invitation: IssuedInvitation }> {
    const { careTeamIds, ...fields } = input;
    const { user, invitation, mail } = await this.db.transaction(async (tx) => {
      const created = await this.invitationLinks.createInvitedUser(
        { ...fields, organizationId: principal.organizationId },
        tx,
      );
      await this.audit.record(principal, 'user.create', { resourceType: 'user', resourceId: created.id }, tx);
      if (careTeamIds?.length) await this.careTeams.assignNewUser(principal, created.id, careTeamIds, tx);
      const issued = await this.invitationLinks.issue(created, principal, tx);
      return { user: created, invitation: issued, mail: await this.mail(created, issued, tx) };
    });
    await this.mailer.dispatch(mail);
    return { user, invitation };
  }

  /** Admins see every user of the organisation; others the active colleagues work can go to. */
  list(
    principal: Principal,
    page: { limit: number; offset: number },
  ): Promise<{ rows: UserListRow[]; total: number }> {
    return this.users.listPage(principal.organizationId, { ...page, activeOnly: principal.role !== 'admin' });
  }

  /** A user of the caller's organisation; another organisation's answers 404 like a missing one. */
  async get(principal: Principal, userId: string, q?: Queryable): Promise<UserRow> {
    const user = await this.users.findInOrganization(principal.organizationId, userId, q);
    if (!user) throw new ResourceNotFoundError('user', userId);
    return user;
  }

  /** Whether the user still has a link to accept (not yet used, maybe expired). */
  async hasOpenInvitation(userId: string): Promise<boolean> {
    return Boolean(await this.invitations.findOpen(userId, this.db));
  }

  /** A new link for the user, voiding the previous one (a lost email, or a forgotten password). */
  async reissueInvitation(principal: Principal, userId: string): Promise<IssuedInvitation> {
    const { invitation, mail } = await this.db.transaction(async (tx) => {
      const user = await this.get(principal, userId, tx);
      if (user.disabledAt) throw new UserDisabledError();
      const issued = await this.invitationLinks.issue(user, principal, tx);
      return { invitation: issued, mail: await this.mail(user, issued, tx) };
    });
    await this.mailer.dispatch(mail);
    return invitation;
  }

  /** Changes role or name; a demotion keeps one active admin and ends the user's sessions. */
  async update(
    principal: Principal,
    userId: string,
    change: { role?: UserRole; displayName?: string },
  ): Promise<UserRow> {
    return this.db.transaction(async (tx) => {
      const before = await this.get(principal, userId, tx);
      const demoted = before.role === 'admin' && change.role !== undefined && change.role !== 'admin';
      if (demoted) await this.keepAnAdmin(principal.organizationId, userId, tx);
      const after = await this.users.update(principal.organizationId, userId, change, tx);
      if (!after) throw new ResourceNotFoundError('user', userId);
      await this.audit.record(principal, 'user.update', { resourceType: 'user', resourceId: userId }, tx);
      if (after.role !== before.role) await this.endSessions(tx, userId, 'role_changed');
      return after;
    });
  }

  /** Disables the user at once: their sessions end and their open invitation is void. */
  async disable(principal: Principal, userId: string): Promise<UserRow> {
    return this.db.transaction(async (tx) => {
      const before = await this.get(principal, userId, tx);
      if (before.role === 'admin') await this.keepAnAdmin(principal.organizationId, userId, tx);
      const after = await this.users.setDisabled(principal.organizationId, userId, true, tx);
      if (!after) throw new ResourceNotFoundError('user', userId);
      await this.invitations.voidOpen(userId, tx);
      await this.endSessions(tx, userId, 'user_disabled');
      await this.audit.record(principal, 'user.disable', { resourceType: 'user', resourceId: userId }, tx);
      return after;
    });
  }

  async enable(principal: Principal, userId: string): Promise<UserRow> {
    return this.db.transaction(async (tx) => {
      await this.get(principal, userId, tx);
      const after = await this.users.setDisabled(principal.organizationId, userId, false, tx);
      if (!after) throw new ResourceNotFoundError('user', userId);
      await this.audit.record(principal, 'user.enable', { resourceType: 'user', resourceId: userId }, tx);
      return after;
    });
  }

  /** Changes the caller's own password (the current one required) and ends their other sessions. */
  async changePassword(
    principal: Principal,
    sessionId: string | undefined,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await this.get(principal, principal.userId);
    if (user.disabledAt || !user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword)))
      throw new WrongPasswordError();
    const problem = passwordProblem(newPassword, { email: user.email });
    if (problem) throw new WeakPasswordError(problem);
    const hash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await this.users.setPassword(user.id, hash, tx);
      await this.endSessions(tx, user.id, 'password_changed', sessionId);
      await this.audit.record(
        principal,
        'user.password.change',
        { resourceType: 'user', resourceId: user.id },
        tx,
      );
    });
  }

  /** Refuses to leave the organisation without an active admin other than `userId`. */
  private async keepAnAdmin(organizationId: string, userId: string, tx: Queryable): Promise<void> {
    const admins = await this.users.lockActiveAdmins(organizationId, tx);
    if (admins.filter((id) => id !== userId).length === 0) throw new LastAdminError();
  }

  /** Ends the user's sessions in `tx`, so a disabled or demoted user's next request answers 401. */
  private endSessions(
    tx: Queryable,
    userId: string,
    reason: string,
    exceptSessionId?: string,
  ): Promise<void> {
    return this.sessions.revokeUserSessions(tx, userId, reason, exceptSessionId);
  }

  private mail(user: UserRow, invitation: IssuedInvitation, tx: Queryable): Promise<string[]> {
    return this.mailer.add(
      {
        organizationId: user.organizationId,
        userId: user.id,
        url: invitation.url,
        expiresAt: invitation.expiresAt,
      },
      tx,
    );
  }
}
