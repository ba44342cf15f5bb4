/** Row types of the alerts table. */
import type { AlertStatus, Severity } from '@homeward/contracts';

export interface NewAlertRow {
  organizationId: string;
  patientId: string;
  ruleId: string;
  ruleKind: string;
  ruleDescription: string;
  severity: Severity;
  triggerType: string;
  triggerValue: number;
  triggerUnit: string;
  triggerMeasuredAt: Date;
  triggerDeviceId: string;
  triggerMessageId: string;
  batchId: string;
  correlationId: string;
  /** One active alert per patient and key: the rule group. */
  episodeKey: string;
  /** Raised by a reading that arrived long after it was measured. */
  late: boolean;
}

/** How a re-measure request ended; null for alerts that never asked. */
export type AlertConfirmation = 'pending' | 'confirmed' | 'unanswered' | 'not_confirmed';

export interface AlertRow extends NewAlertRow {
  /** Breaches attached, the first included. */
  occurrences: number;
  /** In-range readings since the last breach. */
  clearCount: number;
  lastValue: number;
  lastMeasuredAt: Date;
  id: string;
  sequence: string;
  /** bigint text: the number of the alert's last change, from the same sequence as `sequence`. */
  changeSequence: string;
  status: AlertStatus;
  assignedTo: string | null;
  snoozedUntil: Date | null;
  /** Deadline of a re-measure request (see `confirmation`). */
  confirmBy: Date | null;
  confirmation: AlertConfirmation | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A command to a device, kept until a broker took it. */
export interface DeviceCommandRow {
  id: string;
  deviceId: string;
  alertId: string | null;
  command: 'remeasure';
  /** The JSON published on the device's commands topic. */
  payload: Record<string, unknown>;
  expiresAt: Date;
}

/** One action on an alert: its history. */
export interface AlertEventRow {
  id: string;
  action: string;
  actorUserId: string | null;
  fromStatus: AlertStatus;
  toStatus: AlertStatus;
  detail: Record<string, unknown>;
  createdAt: Date;
}

/** A breaching reading linked to an alert. */
export interface AlertOccurrenceRow {
  ruleId: string;
  severity: Severity;
  deviceId: string;
  messageId: string;
  type: string;
  measuredAt: Date;
  value: number;
  unit: string;
}

export interface AlertStateCountRow {
  severity: Severity;
  status: AlertStatus;
  count: number;
}

/** Seconds; null when no alert of the period got there. */
export interface AlertResponseTimesRow {
  alerts: number;
  patients: number;
  acknowledgeP50: number | null;
  acknowledgeP90: number | null;
  resolveP50: number | null;
  resolveP90: number | null;
}
