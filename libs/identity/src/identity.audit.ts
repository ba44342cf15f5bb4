import { defineAuditActions } from './audit/audit.service';

/** The audit actions of sign-in and sessions. Stored in audit_events: add, never rename. */
export const IDENTITY_AUDIT_ACTIONS = defineAuditActions([
  'session.sign_in',
  'session.refresh',
  'session.sign_out',
  'session.sign_out_all',
]);

export type IdentityAuditAction = (typeof IDENTITY_AUDIT_ACTIONS)[number];
