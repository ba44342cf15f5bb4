/** Row types of the escalation tables. */
import type { EscalationPolicy, EscalationStep, Shift } from './escalation-plan';

export interface EscalationPolicyRow extends EscalationPolicy {
  organizationId: string;
  updatedBy: string | null;
  updatedAt: Date;
}

export interface OnCallShiftRow extends Shift {
  organizationId: string;
}

/** A step of an alert's escalation that has not been taken. */
export interface PendingEscalationRow {
  alertId: string;
  step: EscalationStep;
  organizationId: string;
  dueAt: Date;
}

/** A step just planned, with how long until it falls due by the database's clock. */
export interface PlannedEscalationRow {
  step: EscalationStep;
  delayMs: number;
}
