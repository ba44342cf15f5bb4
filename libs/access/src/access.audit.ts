import { defineAuditActions } from '@homeward/identity';

/** The audit actions of consent. Stored in audit_events: add, never rename. */
export const ACCESS_AUDIT_ACTIONS = defineAuditActions(['consent.record', 'consent.read', 'consent.revoke']);

export type AccessAuditAction = (typeof ACCESS_AUDIT_ACTIONS)[number];
