import {
  ACTIVE_ALERT_STATUSES,
  SEVERITY_RANK,
  actionAllowed,
  type AlertDto,
  type AlertStatus,
  type Severity,
} from '@homeward/contracts';

/** Statuses of an alert someone still has to deal with. */
export const ACTIVE_STATUSES: readonly AlertStatus[] = ACTIVE_ALERT_STATUSES;

/** What the API filters on; protocol is filtered in the console from the patients' protocols. */
export interface AlertListFilter {
  statuses: readonly AlertStatus[];
  severity: Severity | null;
  assignedToMe: boolean;
}

export const alertListKey = (filter: AlertListFilter, userId: string) =>
  ['alerts', 'list', userId, filter] as const;

/** Whether an alert belongs in a list the API filled with `filter` (snoozed ones are hidden). */
export function matchesFilter(
  alert: AlertDto,
  filter: AlertListFilter,
  userId: string,
  now: number,
): boolean {
  if (!filter.statuses.includes(alert.status)) return false;
  if (filter.severity && alert.severity !== filter.severity) return false;
  if (filter.assignedToMe && alert.assignedTo !== userId) return false;
  if (alert.snoozedUntil && Date.parse(alert.snoozedUntil) > now) return false;
  return true;
}

/** 0 for an alert nobody has acknowledged yet, 1 once someone has. */
const owned = (alert: AlertDto) => (actionAllowed('acknowledge', alert.status) ? 0 : 1);

/**
 * Worst first; within a severity, those nobody has acknowledged (a raised or re-opened alert
 * comes back here), then oldest first: the alert waiting longest at the top.
 */
export function compareAlerts(a: AlertDto, b: AlertDto): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || owned(a) - owned(b) || a.sequence - b.sequence
  );
}

/**
 * The list with `alert` put in (it matches the filter) or taken out (it no longer does); the
 * list unchanged when it already holds a newer copy (a replay can race a live event).
 */
export function mergeAlert(
  items: readonly AlertDto[],
  alert: AlertDto,
  filter: AlertListFilter,
  userId: string,
  now: number,
): AlertDto[] {
  const known = items.find((item) => item.id === alert.id);
  if (known && known.changeSequence > alert.changeSequence) return [...items];
  const others = items.filter((item) => item.id !== alert.id);
  return matchesFilter(alert, filter, userId, now) ? [...others, alert] : others;
}
