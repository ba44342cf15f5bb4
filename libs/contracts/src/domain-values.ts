/** Values the API, the sockets, the database checks and the rules share: each defined here once. */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Higher is worse: compares severities wherever the worst one wins. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/**
 * An alert is an episode: `pending_confirmation` (waiting for a re-measurement), `open`,
 * `acknowledged` (someone owns it), `escalated`, and the closed states `resolved`, `dismissed`.
 */
export const ALERT_STATUSES = [
  'pending_confirmation',
  'open',
  'acknowledged',
  'escalated',
  'resolved',
  'dismissed',
] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** What people do to an alert; each is a `POST /api/alerts/{id}/...` route and a history entry. */
export const ALERT_ACTIONS = [
  'acknowledge',
  'assign',
  'note',
  'snooze',
  'escalate',
  'resolve',
  'dismiss',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** Clinicians read; coordinators and admins also write. */
export const USER_ROLES = ['admin', 'coordinator', 'clinician'] as const;
export type UserRole = (typeof USER_ROLES)[number];
