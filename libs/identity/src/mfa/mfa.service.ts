import { Injectable } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { InjectLogger, type Logger } from '@homeward/observability';
import { Database, ResourceNotFoundError } from '@homeward/platform';
import type { Principal } from '../principal';
import { AuditService } from '../audit/audit.service';
import { InvalidCredentialsError, SessionUserGoneError } from '../auth/auth.errors';
import { LoginLockout } from '../auth/login-lockout';
import type { OrganizationRow, UserMfaRow, UserRow } from '../identity.rows';
import { OrganizationRepository } from '../organizations/organization.repository';
import { SessionService } from '../sessions/session.service';
import { UserRepository } from '../users/user.repository';
import { EnrollmentTokens } from './enrollment-token';
import {
  InvalidMfaCodeError,
  MfaAlreadyEnrolledError,
  MfaEnrollmentRequiredError,
  MfaNotEnrolledError,
  MfaNotPendingError,
  MfaRequiredError,
} from './mfa.errors';
import { MfaRepository } from './mfa.repository';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes';
import { mfaSecretKey, openSecret, sealSecret } from '../secrets/secret-box';
import { isTotpCode, matchTotpStep, newTotpSecret, totpUri } from './totp';

export interface MfaStatus {
  enrolled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

const principalOf = (user: UserRow, requestId?: string): Principal => ({
  userId: user.id,
  organizationId: user.organizationId,
  role: user.role,
  requestId,
});

/**
 * The second factor of password sign-in: a TOTP authenticator (RFC 6238) with one-time recovery
 * codes, an organisation's requirement of it, and an admin's reset for a lost phone.
 */
@Injectable()
export class MfaService {
  private readonly key: Buffer;

  constructor(
    private readonly db: Database,
    private readonly mfa: MfaRepository,
    private readonly organizations: OrganizationRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly lockout: LoginLockout,
    private readonly enrollmentTokens: EnrollmentTokens,
    config: AppConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    const material = config.MFA_SECRET_KEY ?? config.JWT_SECRET;
    if (!material) throw new Error('MFA_SECRET_KEY or JWT_SECRET is required wherever the API runs');
    this.key = mfaSecretKey(material);
  }

  async status(principal: Principal): Promise<MfaStatus> {
    const [row, organization] = await Promise.all([
      this.mfa.find(principal.userId),
      this.organizations.findById(principal.organizationId),
    ]);
    const enrolled = Boolean(row?.confirmedAt);
    return {
      enrolled,
      required: organization?.mfaRequired ?? false,
      recoveryCodesLeft: enrolled ? await this.mfa.countUnusedRecoveryCodes(principal.userId) : 0,
    };
  }

  /** A new pending secret (replacing an unconfirmed one); refused once an authenticator is confirmed. */
  async enroll(principal: Principal): Promise<{ secret: string; otpauthUrl: string }> {
    const user = await this.users.findInOrganization(principal.organizationId, principal.userId);
    if (!user || user.disabledAt) throw new SessionUserGoneError();
    const secret = newTotpSecret();
    await this.db.transaction(async (tx) => {
      if (!(await this.mfa.savePending(user.id, sealSecret(this.key, user.id, secret), tx)))
        throw new MfaAlreadyEnrolledError();
      await this.audit.record(
        principal,
        'user.mfa.enroll',
        { resourceType: 'user', resourceId: user.id },
        tx,
      );
    });
    return { secret, otpauthUrl: totpUri(user.email, secret) };
  }

  /** Confirms the pending secret with its current code; answers the recovery codes, shown once. */
  async confirm(principal: Principal, code: string): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const row = await this.mfa.lock(principal.userId, tx);
      const secret = row && !row.confirmedAt && openSecret(this.key, row.userId, row.secretCiphertext);
      if (!row || !secret) throw new MfaNotPendingError();
      const step = matchTotpStep(code, secret, Date.now());
      if (step === null) throw new InvalidMfaCodeError();
      await this.mfa.confirm(row.userId, step, tx);
      const codes = newRecoveryCodes();
      await this.mfa.replaceRecoveryCodes(row.userId, codes.map(hashRecoveryCode), tx);
      await this.audit.record(
        principal,
        'user.mfa.confirm',
        { resourceType: 'user', resourceId: row.userId },
        tx,
      );
      return codes;
    });
  }

  /**
   * Sign-in's second step, after the password matched. Passes when the user has a confirmed
   * authenticator and `code` is an unused TOTP step or recovery code, or has none and the
   * organisation does not require one. A wrong or replayed code counts toward the account's
   * lock-out and answers as a wrong password does.
   */
  async checkSignIn(user: UserRow, email: string, code: string | undefined): Promise<void> {
    const row = await this.mfa.find(user.id);
    if (!row?.confirmedAt) {
      const organization = await this.organizations.findById(user.organizationId);
      if (organization?.mfaRequired) await this.requireEnrollment(user);
      return;
    }
    if (!code) throw new MfaRequiredError();
    if (await this.acceptCode(user, row, code)) return;
    await this.lockout.recordFailure(email, user);
    throw new InvalidCredentialsError();
  }

  /** Who an enrollment token acts for, while that user is active; undefined otherwise. */
  async verifyEnrollmentToken(token: string): Promise<Principal | undefined> {
    const claims = await this.enrollmentTokens.verify(token);
    if (!claims) return undefined;
    const user = await this.users.findInOrganization(claims.organizationId, claims.userId);
    return user && !user.disabledAt && user.role === claims.role ? principalOf(user) : undefined;
  }

  /** Forgets a user's authenticator and recovery codes and ends their sessions (a lost phone). */
  async reset(principal: Principal, userId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const user = await this.users.findInOrganization(principal.organizationId, userId, tx);
      if (!user) throw new ResourceNotFoundError('user', userId);
      await this.mfa.remove(user.id, tx);
      await this.sessions.revokeUserSessions(tx, user.id, 'mfa_reset');
      await this.audit.record(principal, 'user.mfa.reset', { resourceType: 'user', resourceId: user.id }, tx);
    });
    this.logger.info({ userId }, 'Authenticator reset by an admin');
  }

  async organizationSettings(principal: Principal): Promise<OrganizationRow> {
    const organization = await this.organizations.findById(principal.organizationId);
    if (!organization) throw new SessionUserGoneError();
    return organization;
  }

  /**
   * Requires (or stops requiring) a second factor of every user. Requiring it signs out every
   * user without a confirmed authenticator, so their next sign-in goes through enrolment; the
   * admin who asks must have one, or they would sign themselves out.
   */
  async setRequirement(principal: Principal, required: boolean): Promise<OrganizationRow> {
    return this.db.transaction(async (tx) => {
      if (required && !(await this.mfa.find(principal.userId, tx))?.confirmedAt)
        throw new MfaNotEnrolledError();
      const organization = await this.organizations.setMfaRequired(principal.organizationId, required, tx);
      if (!organization) throw new SessionUserGoneError();
      if (required)
        for (const userId of await this.mfa.listUnenrolledUserIds(principal.organizationId, tx))
          await this.sessions.revokeUserSessions(tx, userId, 'mfa_required');
      await this.audit.record(
        principal,
        'organization.update',
        { resourceType: 'organization', resourceId: organization.id },
        tx,
      );
      return organization;
    });
  }

  private async requireEnrollment(user: UserRow): Promise<never> {
    const { token, expiresIn } = await this.enrollmentTokens.issue(principalOf(user));
    await this.audit.record(principalOf(user), 'user.mfa.enrollment_token.issue', {
      resourceType: 'user',
      resourceId: user.id,
    });
    throw new MfaEnrollmentRequiredError(token, expiresIn);
  }

  private async acceptCode(user: UserRow, row: UserMfaRow, code: string): Promise<boolean> {
    if (isTotpCode(code)) {
      const secret = openSecret(this.key, user.id, row.secretCiphertext);
      if (!secret) {
        this.logger.error(
          { userId: user.id },
          'TOTP secret cannot be decrypted: was MFA_SECRET_KEY changed?',
        );
        return false;
      }
      const step = matchTotpStep(code, secret, Date.now());
      return step !== null && (await this.mfa.useStep(user.id, step));
    }
    if (!(await this.mfa.useRecoveryCode(user.id, hashRecoveryCode(code)))) return false;
    await this.audit.record(principalOf(user), 'user.mfa.recovery_code.use', {
      resourceType: 'user',
      resourceId: user.id,
    });
    return true;
  }
}
