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
 * An episode's latest value with its unit: a blood pressure as systolic/diastolic ("158/96
 * mmHg") when `otherHalf`, the other half of the same measurement, is known; else the half shown
 * is named ("systolic 158 mmHg"), since a lone 96 could be read as either.
 */
export function latestValueText(
  alert: Pick<AlertDto, 'lastValue' | 'trigger'>,
  otherHalf?: number | null,
): string | null {
  if (alert.lastValue === null || !alert.trigger) return null;
  const unit = displayUnit(alert.trigger.unit);
  const known = otherHalf !== undefined && otherHalf !== null;
  if (alert.trigger.type === 'blood_pressure_systolic')
    return known ? `${alert.lastValue}/${otherHalf} ${unit}` : `systolic ${alert.lastValue} ${unit}`;
  if (alert.trigger.type === 'blood_pressure_diastolic')
    return known ? `${otherHalf}/${alert.lastValue} ${unit}` : `diastolic ${alert.lastValue} ${unit}`;
  return `${alert.lastValue} ${unit}`;
}

/**
 * "latest 82.5 kg" when the episode's latest breaching value is not the one that raised it: the
 * summary keeps what set the alert, and a nurse must not act on a stale number. Null otherwise.
 */
export function latestValueLabel(
  alert: Pick<AlertDto, 'lastValue' | 'trigger'>,
  otherHalf?: number | null,
): string | null {
  if (alert.lastValue === null || !alert.trigger || alert.lastValue === alert.trigger.value) return null;
  return `latest ${latestValueText(alert, otherHalf)}`;
}
