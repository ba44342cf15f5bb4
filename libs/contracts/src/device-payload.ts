import type { RejectionReason } from './rejection-reasons';
import type { VitalType } from './vitals.catalog';

/** Device contract v1: what a device publishes QoS 1 to `v1/devices/{deviceId}/readings`. */
export interface DeviceReadingV1 {
  type: VitalType;
  value: number;
  unit: string;
}

export interface DeviceMessageV1 {
  messageId: string;
  measuredAt: string;
  readings: DeviceReadingV1[];
}

/**
 * Device contract v1: what a hub buffered while offline, published as one payload to its
 * readings topic. Each message is validated, stored and receipted on its own.
 */
export interface DeviceHubBatchV1 {
  messages: DeviceMessageV1[];
}

/** The Bluetooth SIG health measurement characteristics (16-bit UUIDs) a hub may forward. */
export const BLE_CHARACTERISTIC_IDS = ['2A35', '2A9D', '2A5E', '2A18', '2A1C'] as const;

/**
 * How a hub says the device's clock is set. The Bluetooth Date Time field carries no time zone:
 * `local` (the default) reads it in the patient's time zone, `utc` as UTC.
 */
export const DEVICE_CLOCKS = ['local', 'utc'] as const;
export type DeviceClock = (typeof DEVICE_CLOCKS)[number];

/**
 * Device contract v1: a raw Bluetooth LE measurement a hub forwards QoS 1 to
 * `v1/devices/{deviceId}/ble`. The measurement's own time stamp, when present, is its
 * measuredAt (read in the zone `deviceClock` names); otherwise receivedAt is.
 */
export interface DeviceBleMessageV1 {
  messageId: string;
  /** One of BLE_CHARACTERISTIC_IDS, upper or lower case. */
  characteristic: string;
  /** The characteristic value as hex, two digits a byte. */
  value: string;
  /** RFC 3339 time the hub received the value from the device. */
  receivedAt: string;
  /** The zone the device's clock keeps; `local` (the patient's time zone) when left out. */
  deviceClock?: DeviceClock;
}

/**
 * Device contract v1: what a device reports about itself, QoS 1 to `v1/devices/{deviceId}/status`
 * (on connect and whenever something changes). The latest `reportedAt` wins; a field left out
 * keeps the value last reported.
 */
export interface DeviceStatusMessageV1 {
  messageId: string;
  /** RFC 3339 time the device took this status, by its clock. */
  reportedAt: string;
  firmwareVersion?: string;
  /** Battery charge, 0 to 100 %. */
  batteryLevel?: number;
  /** Received signal strength (RSSI) in dBm, -150 to 0. */
  signalStrength?: number;
}

export const DEVICE_KINDS = [
  'bp_cuff',
  'scale',
  'pulse_oximeter',
  'glucometer',
  'thermometer',
  'hub',
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const DEVICE_CONTRACT = {
  topicPrefix: 'v1/devices',
  /** MQTT topic filter the ingest consumer subscribes to. */
  readingsFilter: 'v1/devices/+/readings',
  /** MQTT topic filter for raw Bluetooth LE measurements forwarded by hubs. */
  bleFilter: 'v1/devices/+/ble',
  /** MQTT topic filter for the status devices report about themselves (battery, firmware, signal). */
  statusFilter: 'v1/devices/+/status',
  maxFirmwareVersionLength: 64,
  /** Longest BLE characteristic value accepted, in bytes (hex is twice as long). */
  maxBleValueBytes: 512,
  /** Largest single message (not a hub batch). */
  maxPayloadBytes: 16 * 1024,
  /** Most messages in one hub batch (`{"messages":[...]}`). */
  maxMessagesPerBatch: 500,
  /**
   * Largest hub batch payload: 500 messages of about 1 KiB each (a message with a handful of
   * readings is 200-400 bytes; one with all 32 readings about 2 KiB).
   */
  maxBatchPayloadBytes: 512 * 1024,
  /**
   * Largest MQTT packet a broker accepts (Mosquitto's message_size_limit, 1 MiB, plus 1 KiB for
   * the topic and headers): above maxBatchPayloadBytes so an oversized payload is recorded as
   * payload_too_large rather than dropped silently, yet small enough that no client can make a
   * broker buffer much more than a full hub batch.
   */
  maxPacketBytes: 1024 * 1024 + 1024,
  maxReadingsPerMessage: 32,
  maxMessageIdLength: 128,
  /** How far ahead of the server clock a measurement may be stamped (device clock drift). */
  maxFutureSkewMs: 5 * 60 * 1000,
  /**
   * A Bluetooth time stamp this many whole hours (1 to this) from the hub's receivedAt, within
   * clockSuspectToleranceMs, is flagged `clock_suspect`: a device clock in the wrong zone or
   * without daylight saving. UTC offsets run from -12 to +14 hours, so a clock on local time read
   * as UTC (or the reverse) is off by at most 14.
   */
  maxClockOffsetHours: 14,
  clockSuspectToleranceMs: 2 * 60 * 1000,
  /**
   * How long readings are kept: the retention policy in the initial migration (a unit test in
   * the platform compares them). The oldest accepted measuredAt derives from it, so nothing is
   * acknowledged that retention will drop (a policy drops by time, whatever was accepted).
   */
  retentionYears: 10,
  /**
   * How long an accepted reading is kept at the least: the oldest accepted measuredAt is this much
   * younger than the retention horizon. Retention drops whole 7-day chunks once a day, by the
   * database's clock; a month covers both and any drift between ingest's clock and the database's.
   */
  minRetainedDays: 30,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The oldest measuredAt accepted at `now`: retention horizon plus DEVICE_CONTRACT.minRetainedDays. */
export function oldestAcceptedMeasuredAt(now: Date): Date {
  const horizon = new Date(now.getTime());
  horizon.setUTCFullYear(horizon.getUTCFullYear() - DEVICE_CONTRACT.retentionYears);
  return new Date(horizon.getTime() + DEVICE_CONTRACT.minRetainedDays * DAY_MS);
}

/** The MQTT client id a device must connect with: `device-{deviceId}` (brokers refuse any other). */
export const DEVICE_CLIENT_ID_PREFIX = 'device-';

export function deviceClientId(deviceId: string): string {
  return `${DEVICE_CLIENT_ID_PREFIX}${deviceId.toLowerCase()}`;
}

export function readingsTopic(deviceId: string): string {
  return `${DEVICE_CONTRACT.topicPrefix}/${deviceId}/readings`;
}

export function bleTopic(deviceId: string): string {
  return `${DEVICE_CONTRACT.topicPrefix}/${deviceId}/ble`;
}

export function statusTopic(deviceId: string): string {
  return `${DEVICE_CONTRACT.topicPrefix}/${deviceId}/status`;
}

/** Every topic a device may publish to, and no other: each broker's access rules come from here. */
export function devicePublishTopics(deviceId: string): string[] {
  return [readingsTopic(deviceId), bleTopic(deviceId), statusTopic(deviceId)];
}

/** The filter below which a device may subscribe: its own topics (receipts, commands) only. */
export function deviceSubscribeFilter(deviceId: string): string {
  return `${DEVICE_CONTRACT.topicPrefix}/${deviceId}/#`;
}

const STATUS_TOPIC = /^v1\/devices\/([^/]+)\/status$/;

/** The device id named by a status topic, or undefined when the topic is not one. */
export function deviceIdFromStatusTopic(topic: string): string | undefined {
  return STATUS_TOPIC.exec(topic)?.[1];
}

/** Where the platform sends a device its commands (QoS 1); a device subscribes below its own topics. */
export function commandsTopic(deviceId: string): string {
  return `${DEVICE_CONTRACT.topicPrefix}/${deviceId}/commands`;
}

/**
 * Device contract v1: a command the platform publishes QoS 1 to `v1/devices/{deviceId}/commands`.
 * `remeasure`: a reading at hypertensive-crisis level waits for a second measurement of `types`
 * until `expiresAt`; a measurement taken after that is still stored, but no longer asked for.
 * It carries no health data: the value that triggered it stays on the platform.
 */
export interface DeviceCommandV1 {
  /** Unique per command: a device that gets one twice (QoS 1 redelivery) acts on it once. */
  commandId: string;
  command: 'remeasure';
  types: VitalType[];
  reason: 'confirm_reading';
  /** ISO 8601: after this the platform has decided without the re-measurement. */
  expiresAt: string;
}

/**
 * Where the platform tells a device what became of each message it published (QoS 1), once
 * the outcome is committed: firmware drops from its buffer only what is `stored` or `duplicate`.
 */
export function receiptsTopic(deviceId: string): string {
  return `${DEVICE_CONTRACT.topicPrefix}/${deviceId}/receipts`;
}

export const RECEIPT_STATUSES = ['stored', 'duplicate', 'rejected'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/**
 * Device contract v1: the receipt for one device message (one per message of a hub batch) on
 * `v1/devices/{deviceId}/receipts`. `messageId` is null when the message was rejected before
 * its messageId could be read; `reason` (a RejectionReason) is present for `rejected` only.
 */
export interface DeviceReceiptV1 {
  messageId: string | null;
  status: ReceiptStatus;
  reason?: RejectionReason;
}

const DEVICE_TOPIC = /^v1\/devices\/([^/]+)\/(readings|ble)$/;

/** What a device publishes: JSON readings or raw Bluetooth LE measurements. */
export type DeviceTopicKind = 'readings' | 'ble';

/** The device id and kind named by a readings or ble topic, or undefined when the topic is neither. */
export function parseDeviceTopic(topic: string): { deviceId: string; kind: DeviceTopicKind } | undefined {
  const match = DEVICE_TOPIC.exec(topic);
  return match ? { deviceId: match[1], kind: match[2] as DeviceTopicKind } : undefined;
}

/** The device id named by a readings or ble topic, or undefined when the topic is neither. */
export function deviceIdFromTopic(topic: string): string | undefined {
  return parseDeviceTopic(topic)?.deviceId;
}
