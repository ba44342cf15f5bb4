import { defineAuditActions } from '@homeward/identity';

/** The audit actions of the care-time ledger. Stored in audit_events: add, never rename. */
export const CARE_AUDIT_ACTIONS = defineAuditActions([
  'care_time.read',
  'care_time.record',
  'care_time.void',
]);

export type CareAuditAction = (typeof CARE_AUDIT_ACTIONS)[number];
