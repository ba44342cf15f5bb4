import { ALERT_ACTIONS, type AlertAction, type AlertStatus, type Severity } from './domain-values';

/**
 * The alert lifecycle, defined once for the server, its SQL and the console.
 *
 * An alert is an episode: `pending_confirmation` (waiting for a re-measurement), `open`,
 * `acknowledged` (someone owns it), `escalated`; then closed, `resolved` or `dismissed`.
 */

/** States in which an alert still needs someone; the others are closed. */
export const ACTIVE_ALERT_STATUSES = [
  'pending_confirmation',
  'open',
  'acknowledged',
  'escalated',
] as const satisfies readonly AlertStatus[];
export const CLOSED_ALERT_STATUSES = ['resolved', 'dismissed'] as const satisfies readonly AlertStatus[];

/** Active states in which nobody has acknowledged the alert yet. */
export const UNACKNOWLEDGED_ALERT_STATUSES = [
  'pending_confirmation',
  'open',
  'escalated',
] as const satisfies readonly AlertStatus[];

export function isActiveAlertStatus(status: AlertStatus): boolean {
  return (ACTIVE_ALERT_STATUSES as readonly AlertStatus[]).includes(status);
}

/**
 * What the platform itself records in an alert's history, beside people's actions:
 * - `raise`: the episode opened; `reopen`: a breach within the cool-down brought it back;
 * - `hold`: the device flagged the reading unreliable, so it waits for a re-measurement;
 * - `confirm` / `not_confirmed`: the re-measurement (or none in time) decided it;
 * - `severity_raised`: a worse breach raised its severity and returned it to the queue;
 * - `back_in_range`: an unacknowledged critical episode's readings are in range again; it
 *   stays open until someone acts;
 * - `auto_resolve`: the all clear closed it;
 * - `video_visit`: a video visit was started from it (`detail.visitId`);
 * - `video_visit_missed`: that visit was missed (`detail.visitId`).
 */
export const ALERT_SYSTEM_EVENTS = [
  'raise',
  'reopen',
  'auto_resolve',
  'hold',
  'confirm',
  'not_confirmed',
  'severity_raised',
  'back_in_range',
  'video_visit',
  'video_visit_missed',
] as const;
export type AlertSystemEvent = (typeof ALERT_SYSTEM_EVENTS)[number];

/** Every entry an alert's history may hold. */
export type AlertEventAction = AlertAction | AlertSystemEvent;
export const ALERT_EVENT_ACTIONS: readonly AlertEventAction[] = [
  'raise',
  ...ALERT_ACTIONS,
  ...ALERT_SYSTEM_EVENTS.slice(1),
];

/**
 * From which states each action is allowed, and the state it leaves behind (`same`: the state
 * does not change). Notes may be added to closed alerts too: follow-up is part of the record.
 */
export const ALERT_TRANSITIONS: Readonly<
  Record<AlertAction, { from: readonly AlertStatus[]; to: AlertStatus | 'same' }>
> = {
  acknowledge: { from: UNACKNOWLEDGED_ALERT_STATUSES, to: 'acknowledged' },
  assign: { from: ACTIVE_ALERT_STATUSES, to: 'same' },
  note: { from: [...ACTIVE_ALERT_STATUSES, ...CLOSED_ALERT_STATUSES], to: 'same' },
  snooze: { from: ['open', 'acknowledged'], to: 'same' },
  escalate: { from: ['pending_confirmation', 'open', 'acknowledged'], to: 'escalated' },
  resolve: { from: ACTIVE_ALERT_STATUSES, to: 'resolved' },
  dismiss: { from: ACTIVE_ALERT_STATUSES, to: 'dismissed' },
};

/** Whether `action` may be taken on an alert in `status` (severity aside: see `planTransition`). */
export function actionAllowed(action: AlertAction, status: AlertStatus): boolean {
  return ALERT_TRANSITIONS[action].from.includes(status);
}

/** Longest snooze per severity; a critical alert is never snoozed. */
export const MAX_SNOOZE_MS: Readonly<Record<Severity, number>> = {
  info: 72 * 3600_000,
  warning: 24 * 3600_000,
  critical: 0,
};

export type TransitionOutcome =
  | { allowed: true; from: readonly AlertStatus[]; to: AlertStatus | 'same' }
  | { allowed: false; reason: 'state' | 'severity' | 'snooze_too_long' };

/** Whether `action` may be taken on an alert in `status` of `severity`, and where it leads. */
export function planTransition(
  alert: { status: AlertStatus; severity: Severity },
  action: AlertAction,
  options: { snoozeUntil?: Date; now?: Date } = {},
): TransitionOutcome {
  const rule = ALERT_TRANSITIONS[action];
  if (!rule.from.includes(alert.status)) return { allowed: false, reason: 'state' };
  if (action === 'snooze') {
    if (alert.severity === 'critical') return { allowed: false, reason: 'severity' };
    const now = options.now ?? new Date();
    const until = options.snoozeUntil?.getTime() ?? 0;
    if (until <= now.getTime() || until - now.getTime() > MAX_SNOOZE_MS[alert.severity])
      return { allowed: false, reason: 'snooze_too_long' };
  }
  return { allowed: true, from: rule.from, to: rule.to };
}

/** A list of states as a SQL literal (`('open', 'acknowledged')`): constants only, never input. */
export function sqlStatusList(statuses: readonly AlertStatus[]): string {
  return `(${statuses.map((status) => `'${status}'`).join(', ')})`;
}
