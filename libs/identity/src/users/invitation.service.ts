import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, publicUrl } from '@homeward/config';
import type { UserRole } from '@homeward/contracts';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, type Queryable } from '@homeward/platform';
import type { Principal } from '../principal';
import { AuditService } from '../audit/audit.service';
import { hashPassword } from '../auth/password';
import type { OrganizationRow, UserRow } from '../identity.rows';
import { OrganizationRepository } from '../organizations/organization.repository';
import { SessionService } from '../sessions/session.service';
import { InvitationRepository } from './invitation.repository';
import { passwordProblem } from './password-policy';
import {
  EmailTakenError,
  InvitationExpiredError,
  InvitationNotFoundError,
  InvitationUsedError,
  OrganizationExistsError,
  WeakPasswordError,
} from './user.errors';
import { UserRepository } from './user.repository';

export interface IssuedInvitation {
  url: string;
  expiresAt: Date;
}

/** 256 random bits, URL-safe: a code nobody guesses, stored only as its SHA-256. */
function newCode(): { code: string; codeHash: string } {
  const code = randomBytes(32).toString('base64url');
  return { code, codeHash: hashCode(code) };
}

function hashCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** A slug from an organisation's name: lower-case letters and digits joined by hyphens. */
export function organizationSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'organization';
}

/**
 * One-time invitation links: how a new user (or one who needs a new password) sets a password.
 * Issuing voids the user's earlier link; accepting sets the password under the password rules
 * and uses the link up, in one transaction with its audit row.
 */
@Injectable()
export class InvitationService {
  constructor(
    private readonly db: Database,
    private readonly users: UserRepository,
    private readonly invitations: InvitationRepository,
    private readonly organizations: OrganizationRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Issues a new link for `user` in `tx` (voiding the previous one), recorded under `actor`. */
  async issue(
    user: UserRow,
    actor: Principal | { system: true; requestId?: string },
    tx: Queryable,
  ): Promise<IssuedInvitation> {
    const { code, codeHash } = newCode();
    const expiresAt = new Date(Date.now() + this.config.INVITATION_TTL_HOURS * 3600_000);
    await this.invitations.voidOpen(user.id, tx);
    const row = await this.invitations.insert(
      {
        organizationId: user.organizationId,
        userId: user.id,
        codeHash,
        issuedBy: 'system' in actor ? null : actor.userId,
        expiresAt,
      },
      tx,
    );
    const target = { resourceType: 'user', resourceId: user.id };
    if ('system' in actor)
      await this.audit.recordUnauthenticated(
        { role: 'system', organizationId: user.organizationId, requestId: actor.requestId },
        'user.invitation.issue',
        target,
        tx,
      );
    else await this.audit.record(actor, 'user.invitation.issue', target, tx);
    const url = `${publicUrl(this.config)}/invitations/accept?code=${code}`;
    // The link lets its holder set the user's password: it reaches logs only in development.
    const fields = { userId: user.id, invitationId: row.id, expiresAt };
    if (this.config.NODE_ENV === 'development') this.logger.info({ ...fields, url }, 'Invitation issued');
    else this.logger.info(fields, 'Invitation issued');
    return { url, expiresAt };
  }

  /** Sets the password of the invitation's user and activates them; the link works once. */
  async accept(code: string, password: string, requestId?: string): Promise<UserRow> {
    const accepted = await this.db.transaction(async (tx) => {
      const invitation = await this.invitations.lockByCodeHash(hashCode(code), tx);
      if (!invitation) throw new InvitationNotFoundError();
      if (invitation.usedAt) throw new InvitationUsedError();
      if (invitation.voidedAt || invitation.expiresAt.getTime() <= Date.now())
        throw new InvitationExpiredError();
      const user = await this.users.findInOrganization(invitation.organizationId, invitation.userId, tx);
      if (!user || user.disabledAt) throw new InvitationExpiredError();
      const problem = passwordProblem(password, { email: user.email });
      if (problem) throw new WeakPasswordError(problem);
      await this.users.setPassword(user.id, await hashPassword(password), tx);
      await this.invitations.markUsed(invitation.id, tx);
      // A link re-sent to someone who had a password resets it: whoever held it is signed out.
      if (user.passwordHash) await this.sessions.revokeUserSessions(tx, user.id, 'password_reset');
      const principal: Principal = {
        userId: user.id,
        organizationId: user.organizationId,
        role: user.role,
        requestId,
      };
      await this.audit.record(
        principal,
        'user.invitation.accept',
        { resourceType: 'user', resourceId: user.id },
        tx,
      );
      return user;
    });
    this.logger.info({ userId: accepted.id }, 'Invitation accepted');
    return accepted;
  }

  /**
   * A fresh install's first organisation and its admin, who sets a password through the returned
   * link. Refuses a taken slug or email rather than changing what exists.
   */
  async createOrganization(input: {
    name: string;
    adminEmail: string;
    adminName: string;
  }): Promise<{ organization: OrganizationRow; admin: UserRow; invitation: IssuedInvitation }> {
    return this.db.transaction(async (tx) => {
      const slug = organizationSlug(input.name);
      const organization = await this.organizations.insert(slug, input.name, tx);
      if (!organization) throw new OrganizationExistsError(slug);
      const actor = { role: 'system' as const, organizationId: organization.id };
      await this.audit.recordUnauthenticated(
        actor,
        'organization.create',
        { resourceType: 'organization', resourceId: organization.id },
        tx,
      );
      const admin = await this.createInvitedUser(
        {
          organizationId: organization.id,
          email: input.adminEmail,
          displayName: input.adminName,
          role: 'admin',
        },
        tx,
      );
      await this.audit.recordUnauthenticated(
        actor,
        'user.create',
        { resourceType: 'user', resourceId: admin.id },
        tx,
      );
      const invitation = await this.issue(admin, { system: true }, tx);
      return { organization, admin, invitation };
    });
  }

  /** A user without a password yet; refuses a taken email (across organisations: emails sign in). */
  async createInvitedUser(
    user: { organizationId: string; email: string; displayName: string; role: UserRole },
    tx: Queryable,
  ): Promise<UserRow> {
    const created = await this.users.insertInvited(user, tx);
    if (!created) throw new EmailTakenError();
    return created;
  }
}
