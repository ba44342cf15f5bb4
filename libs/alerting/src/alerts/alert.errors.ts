import { ConflictException } from '@nestjs/common';
import type { AlertAction, AlertStatus, Severity } from '@homeward/contracts';

const WHY = {
  state: (action: AlertAction, status: AlertStatus) => `Cannot ${action} an alert that is ${status}`,
  severity: (action: AlertAction) => `Cannot ${action} a critical alert`,
  snooze_too_long: () =>
    'Snooze until a time in the future, at most 24 h ahead for warnings and 72 h for info',
};

/** The alert's state (or severity) does not allow the action; the body says what it is now. */
export class AlertActionRefusedError extends ConflictException {
  constructor(
    action: AlertAction,
    alert: { status: AlertStatus; severity: Severity },
    reason: keyof typeof WHY,
  ) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: reason === 'state' ? 'alert_state_conflict' : `alert_${reason}`,
      message: WHY[reason](action, alert.status),
      action,
      status: alert.status,
      severity: alert.severity,
    });
  }
}
