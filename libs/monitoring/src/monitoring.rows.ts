import type { RejectionReason, VitalType } from '@homeward/contracts';

/** Row types of readings, the device-message ledger, rejections and the evaluation outbox. */

export interface NewReadingRow {
  measuredAt: Date;
  patientId: string;
  deviceId: string;
  messageId: string;
  type: string;
  loinc: string;
  value: number;
  unit: string;
  sourceValue: number;
  sourceUnit: string;
  /** Measurement-status bits (`irregular_pulse`, ...); empty when the device raised none. */
  flags: string[];
}

export interface ReadingRow extends NewReadingRow {
  batchId: string;
  receivedAt: Date;
}

/** A patient's newest reading of one type. */
export interface LatestReadingRow {
  patientId: string;
  type: string;
  value: number;
  unit: string;
  measuredAt: Date;
  deviceId: string;
  messageId: string;
}

/** When the platform last stored a message from a device, and when that message was measured. */
export interface DeviceContactRow {
  deviceId: string;
  lastReceivedAt: Date;
  lastMeasuredAt: Date;
  /** When a message flagged `clock_suspect` was last stored; null if never. */
  clockSuspectSeenAt: Date | null;
}

export interface BatchReadingRow extends ReadingRow {
  organizationId: string;
}

export interface NewDeviceMessageRow {
  deviceId: string;
  messageId: string;
  contentHash: Buffer;
  measuredAt: Date;
}

/** What one reading of a message has of its own; the rest it shares with its message. */
export type MessageReading = Pick<
  NewReadingRow,
  'type' | 'loinc' | 'value' | 'unit' | 'sourceValue' | 'sourceUnit'
>;

/** A device message ingest stores, with its readings: they share its device, time, patient and flags. */
export interface NewMessageWithReadings extends NewDeviceMessageRow {
  patientId: string;
  flags: readonly string[];
  /** Its Bluetooth time stamp was a whole number of hours from receivedAt (flag `clock_suspect`). */
  clockSuspect?: boolean;
  readings: readonly MessageReading[];
}

/** A device's reported status, as ingest stores it (latest reportedAt wins). */
export interface NewDeviceStatusRow {
  deviceId: string;
  messageId: string;
  reportedAt: Date;
  firmwareVersion: string | null;
  batteryLevel: number | null;
  signalStrength: number | null;
}

export interface DeviceMessageKey {
  deviceId: string;
  messageId: string;
}

export interface DeviceMessageHashRow extends DeviceMessageKey {
  /** Null for messages stored before the ledger existed. */
  contentHash: Buffer | null;
}

export interface NewRejectionRow {
  topic: string;
  deviceRef: string | null;
  messageId: string | null;
  reason: RejectionReason;
  detail: string;
  payloadBytes: number;
  payloadExcerpt: string;
  /** An `implausible_value` from a registered device: the value refused and the device's patient. */
  implausible?: { patientId: string; type: VitalType; value: number; unit: string };
}

/** An `implausible_value` rejection of a registered device, as alerting raises its notice from it. */
export interface ImplausibleRejectionRow {
  id: string;
  receivedAt: Date;
  deviceId: string;
  patientId: string;
  /** The rejected message's messageId, or `rejection-{id}` when it had none readable. */
  messageId: string;
  type: VitalType;
  value: number;
  unit: string;
}

export interface IngestBatchRow {
  id: string;
  correlationId: string;
  createdAt: Date;
  enqueuedAt: Date | null;
  evaluatedAt: Date | null;
}
