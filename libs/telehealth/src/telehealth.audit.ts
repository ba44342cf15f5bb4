import { defineAuditActions } from '@homeward/identity';

/** The audit actions of video visits and their join links. Stored in audit_events: add, never rename. */
export const TELEHEALTH_AUDIT_ACTIONS = defineAuditActions([
  'visit.create',
  'visit.read',
  'visit.list',
  'visit.join',
  'visit.end',
  'visit.cancel',
  'visit.notes',
  'visit.update',
  'visit.missed',
  'visit.link.issue',
  'visit.link.redeem',
  'visit.webhook.rejected',
]);

export type TelehealthAuditAction = (typeof TELEHEALTH_AUDIT_ACTIONS)[number];
