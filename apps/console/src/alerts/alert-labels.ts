import type { AlertStatus, Severity } from '@homeward/contracts';

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
