import { displayUnit, type AlertDto, type AlertStatus, type Severity } from '@homeward/contracts';

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

export const STATUS_LABELS: Record<AlertStatus, string> = {
  pending_confirmation: 'Awaiting re-measurement',
  open: 'Open',
  acknowledged: 'Acknowledged',
  escalated: 'Escalated',
  resolved: 'Resolved',
  dismissed: 'Dismissed',
};

/**
 * "latest 82.5 kg" when the episode's latest breaching value is not the one that raised it: the
 * summary keeps what set the alert, and a nurse must not act on a stale number. Null otherwise.
 */
export function latestValueLabel(alert: Pick<AlertDto, 'lastValue' | 'trigger'>): string | null {
  if (alert.lastValue === null || !alert.trigger || alert.lastValue === alert.trigger.value) return null;
  return `latest ${alert.lastValue} ${displayUnit(alert.trigger.unit)}`;
}
