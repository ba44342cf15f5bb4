/** Values the API, the sockets, the database checks and the rules share: each defined here once. */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Clinicians read; coordinators and admins also write. */
export const USER_ROLES = ['admin', 'coordinator', 'clinician'] as const;
export type UserRole = (typeof USER_ROLES)[number];
