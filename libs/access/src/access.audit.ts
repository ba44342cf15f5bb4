import { defineAuditActions } from '@homeward/identity';

/** The audit actions of consent and break-glass. Stored in audit_events: add, never rename. */
export const ACCESS_AUDIT_ACTIONS = defineAuditActions([
  'consent.record',
  'consent.read',
  'consent.revoke',
  'patient.break_glass',
  'break_glass.list',
]);

export type AccessAuditAction = (typeof ACCESS_AUDIT_ACTIONS)[number];
