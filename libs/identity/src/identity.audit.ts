import { defineAuditActions } from './audit/audit.service';

/** The audit actions of people, organisations, sign-in and sessions. Stored in audit_events: add, never rename. */
export const IDENTITY_AUDIT_ACTIONS = defineAuditActions([
  'organization.create',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.invitation.issue',
  'user.invitation.accept',
  'user.password.change',
  'session.sign_in',
  'session.refresh',
  'session.sign_out',
  'session.sign_out_all',
  'auth.login.locked',
  'user.mfa.enroll',
  'user.mfa.confirm',
  'user.mfa.reset',
  'user.mfa.recovery_code.use',
  'user.mfa.enrollment_token.issue',
  'organization.update',
  'audit.verify',
  'auth.sso.sign_in',
  'organization.oidc.update',
  'organization.oidc.delete',
]);

export type IdentityAuditAction = (typeof IDENTITY_AUDIT_ACTIONS)[number];
