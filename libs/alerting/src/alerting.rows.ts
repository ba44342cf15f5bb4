/** Row types of the alerts table. */
import type { AlertEventAction, AlertStatus, Severity } from '@homeward/contracts';

export interface NewAlertRow {
  organizationId: string;
  patientId: string;
  ruleId: string;
  /** 0: the rule as published; n: the patient's override version n. */
  ruleVersion: number;
  ruleKind: string;
  ruleDescription: string;
  /** What fired, in words: the reading against the cut-off it crossed (`describeBreach`); null on older alerts. */
  summary: string | null;
  severity: Severity;
  /** The reading that raised the alert: all null for alerts no one reading raises (`missed`). */
  triggerType: string | null;
  triggerValue: number | null;
  triggerUnit: string | null;
  triggerMeasuredAt: Date | null;
  triggerDeviceId: string | null;
  triggerMessageId: string | null;
  /** The evaluated batch; null for alerts of the scheduled checks. */
  batchId: string | null;
  correlationId: string;
  /** One active alert per patient and key: the rule group. */
  episodeKey: string;
  /** Raised by a reading that arrived long after it was measured. */
  late: boolean;
  /** Defaults to the trigger's value and time. */
  lastValue?: number | null;
  lastMeasuredAt?: Date | null;
  /** `missed` alerts: the start of the gap (last reading, else monitoring start); one alert per gap. */
  missedSince?: Date | null;
}

/** How a re-measure request ended; null for alerts that never asked. */
export type AlertConfirmation = 'pending' | 'confirmed' | 'unanswered' | 'not_confirmed';

export interface AlertRow extends NewAlertRow {
  /** Breaches attached, the first included. */
  occurrences: number;
  /** In-range measurements since the last breach... */
  clearCount: number;
  /** ...measured from this time on; null while there are none. */
  clearSince: Date | null;
  lastValue: number | null;
  lastMeasuredAt: Date | null;
  missedSince: Date | null;
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
  action: AlertEventAction;
  actorUserId: string | null;
  fromStatus: AlertStatus;
  toStatus: AlertStatus;
  detail: Record<string, unknown>;
  createdAt: Date;
}

/** A breaching reading linked to an alert. */
export interface AlertOccurrenceRow {
  ruleId: string;
  ruleVersion: number;
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
