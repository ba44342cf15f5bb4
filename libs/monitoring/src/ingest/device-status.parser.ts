import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  DEVICE_CONTRACT,
  deviceIdFromStatusTopic,
  deviceStatusMessageSchemaV1,
  findUnstorableText,
  type DeviceStatusMessageV1,
  type RejectionReason,
} from '@homeward/contracts';
import { decodeJson, schemaViolationDetail } from './device-message.parser';

export interface AcceptedStatus {
  ok: true;
  deviceId: string;
  messageId: string;
  reportedAt: Date;
  firmwareVersion: string | null;
  /** Whole percent, 0-100. */
  batteryLevel: number | null;
  /** Whole dBm, -150-0. */
  signalStrength: number | null;
}

export interface RejectedStatus {
  ok: false;
  reason: RejectionReason;
  detail: string;
  deviceRef: string | null;
  messageId: string | null;
}

export type ParsedStatus = AcceptedStatus | RejectedStatus;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: false });
addFormats(ajv, ['date-time']);
// Compiled once from the published schema, as the readings validator is.
const validateStatus = ajv.compile<DeviceStatusMessageV1>(deviceStatusMessageSchemaV1());

/** Whether ingest should read `topic` as a device status rather than readings. */
export function isStatusTopic(topic: string): boolean {
  return deviceIdFromStatusTopic(topic) !== undefined;
}

/**
 * Validates one status message from `v1/devices/{deviceId}/status` (pure: the clock is passed
 * in). Rejections use the readings' reasons where they mean the same thing.
 */
export function parseDeviceStatus(topic: string, payload: Buffer, now: Date): ParsedStatus {
  const deviceRef = deviceIdFromStatusTopic(topic) ?? null;
  let messageId: string | null = null;
  const reject = (reason: RejectionReason, detail: string): RejectedStatus => ({
    ok: false,
    reason,
    detail,
    deviceRef,
    messageId,
  });
  if (!deviceRef || !UUID.test(deviceRef))
    return reject('invalid_device_id', `topic ${topic} does not name a device id`);
  if (payload.length > DEVICE_CONTRACT.maxPayloadBytes)
    return reject(
      'payload_too_large',
      `payload is ${payload.length} bytes; the limit is ${DEVICE_CONTRACT.maxPayloadBytes}`,
    );
  const decoded = decodeJson(payload);
  if (!decoded.ok) return reject(decoded.reason, decoded.detail);
  const body = decoded.body;
  const id = (body as { messageId?: unknown } | null)?.messageId;
  if (typeof id === 'string' && id.length <= DEVICE_CONTRACT.maxMessageIdLength) messageId = id;
  const unstorable = findUnstorableText(body);
  if (unstorable !== undefined)
    return reject(
      'invalid_characters',
      `${unstorable}: contains NUL or an invalid code point, which cannot be stored`,
    );
  if (!validateStatus(body)) {
    const error = validateStatus.errors?.[0];
    const path = error?.instancePath || '/';
    if (error?.keyword === 'format' && path === '/reportedAt')
      return reject(
        'invalid_timestamp',
        `reportedAt ${JSON.stringify((body as { reportedAt?: unknown }).reportedAt)} is not an RFC 3339 date-time`,
      );
    return reject('schema_violation', schemaViolationDetail(error, 'status contract'));
  }
  const reportedAtMs = Date.parse(body.reportedAt);
  if (Number.isNaN(reportedAtMs))
    return reject('invalid_timestamp', `reportedAt ${body.reportedAt} is not a valid time`);
  if (reportedAtMs > now.getTime() + DEVICE_CONTRACT.maxFutureSkewMs)
    return reject(
      'reported_at_in_future',
      `reportedAt ${body.reportedAt} is more than ${DEVICE_CONTRACT.maxFutureSkewMs / 60_000} minutes ahead of the server clock`,
    );
  return {
    ok: true,
    deviceId: deviceRef.toLowerCase(),
    messageId: body.messageId,
    reportedAt: new Date(reportedAtMs),
    firmwareVersion: body.firmwareVersion ?? null,
    batteryLevel: body.batteryLevel === undefined ? null : Math.round(body.batteryLevel),
    signalStrength: body.signalStrength === undefined ? null : Math.round(body.signalStrength),
  };
}
