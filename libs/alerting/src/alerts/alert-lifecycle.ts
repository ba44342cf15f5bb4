import type { AlertAction, AlertStatus, Severity } from '@homeward/contracts';

/** States in which an alert still needs someone; the others are closed. */
export const ACTIVE_ALERT_STATUSES: readonly AlertStatus[] = [
  'pending_confirmation',
  'open',
  'acknowledged',
  'escalated',
];

/**
 * From which states each action is allowed, and the state it leaves behind (`same`: the state
 * does not change). Notes may be added to closed alerts too: follow-up is part of the record.
 */
const TRANSITIONS: Record<AlertAction, { from: readonly AlertStatus[]; to: AlertStatus | 'same' }> = {
  acknowledge: { from: ['pending_confirmation', 'open', 'escalated'], to: 'acknowledged' },
  assign: { from: ACTIVE_ALERT_STATUSES, to: 'same' },
  note: { from: [...ACTIVE_ALERT_STATUSES, 'resolved', 'dismissed'], to: 'same' },
  snooze: { from: ['open', 'acknowledged'], to: 'same' },
  escalate: { from: ['pending_confirmation', 'open', 'acknowledged'], to: 'escalated' },
  resolve: { from: ACTIVE_ALERT_STATUSES, to: 'resolved' },
  dismiss: { from: ACTIVE_ALERT_STATUSES, to: 'dismissed' },
};

/** Longest snooze per severity; a critical alert is never snoozed. */
export const MAX_SNOOZE_MS: Record<Severity, number> = {
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
  const rule = TRANSITIONS[action];
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
