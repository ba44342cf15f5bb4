import { defineAuditActions } from '@homeward/identity';

/** The audit actions of notification preferences. Stored in audit_events: add, never rename. */
export const NOTIFICATIONS_AUDIT_ACTIONS = defineAuditActions([
  'notification_preferences.read',
  'notification_preferences.set',
]);

export type NotificationsAuditAction = (typeof NOTIFICATIONS_AUDIT_ACTIONS)[number];
