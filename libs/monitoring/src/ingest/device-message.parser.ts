import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  DEVICE_CONTRACT,
  VITALS,
  deviceBleMessageSchemaV1,
  deviceMessageSchemaV1,
  escapeUnstorableText,
  findUnstorableText,
  oldestAcceptedMeasuredAt,
  parseDeviceTopic,
  toCanonicalUnit,
  type DeviceBleMessageV1,
  type DeviceClock,
  type DeviceMessageV1,
  type RejectionReason,
  type VitalType,
} from '@homeward/contracts';
import { decodeBleMeasurement } from './ble/ble-measurement.decoder';
import { CLOCK_SUSPECT_FLAG, suspectClockOffsetHours, zonedWallClockToInstant } from './device-clock';

export interface NormalisedReading {
  type: VitalType;
  loinc: string;
  value: number;
  unit: string;
  sourceValue: number;
  sourceUnit: string;
}

export interface AcceptedMessage {
  ok: true;
  deviceId: string;
  messageId: string;
  measuredAt: Date;
  readings: NormalisedReading[];
  /** Measurement-status bits (`irregular_pulse`, `body_movement`, ...) that hold for every reading; empty for JSON readings. */
  flags: string[];
  /**
   * A Bluetooth time stamp not yet placed in its zone: `measuredAt` is provisional (the wall
   * clock read as UTC) until settleDeviceTime, which needs the patient's time zone.
   */
  pendingTime?: PendingDeviceTime;
}

export interface PendingDeviceTime {
  /** The device's wall-clock time, in the Date's UTC fields. */
  deviceTime: Date;
  deviceClock: DeviceClock;
  /** The hub's receivedAt, which carries a zone. */
  receivedAt: Date;
}

/** The value a plausibility limit refused, as the device sent it: for the device notice it raises. */
export interface ImplausibleValue {
  type: VitalType;
  value: number;
  unit: string;
}

export interface RejectedMessage {
  ok: false;
  reason: RejectionReason;
  detail: string;
  deviceRef: string | null;
  messageId: string | null;
  /** The rejected message alone, when it came in a hub batch: what its rejection records. */
  payload?: Buffer;
  /** For `implausible_value`: the value refused. */
  implausible?: ImplausibleValue;
}

export type ParsedMessage = AcceptedMessage | RejectedMessage;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: false });
addFormats(ajv, ['date-time']);
// Compiled once from the published schema: about a microsecond a message on the hot path.
const validateSchema = ajv.compile<DeviceMessageV1>(deviceMessageSchemaV1());
const validateBleSchema = ajv.compile<DeviceBleMessageV1>(deviceBleMessageSchemaV1());

type Reject = (reason: RejectionReason, detail: string, messageId?: string | null) => RejectedMessage;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A payload read as JSON from a device topic, before the contract is checked. */
interface ReadBody {
  ok: true;
  deviceRef: string;
  kind: 'readings' | 'ble';
  body: unknown;
  /** Whether the text holds a `\u` escape, the only way NUL or a lone surrogate gets in. */
  escapes: boolean;
  reject: Reject;
}

/**
 * Validates and normalises what a device published (pure: the clock is passed in): one result
 * for a single message, or one per message of a hub batch (`{"messages":[...]}` on the readings
 * topic), in order. A batch whose envelope is wrong (not an array, empty, over
 * DEVICE_CONTRACT.maxMessagesPerBatch) is one rejection with no messageId.
 */
export function parseDevicePayload(topic: string, payload: Buffer, now: Date): ParsedMessage[] {
  const read = readBody(topic, payload, DEVICE_CONTRACT.maxBatchPayloadBytes);
  if (!read.ok) {
    // Over the single-message limit and unreadable: it is no batch, so its size is what is wrong.
    const unreadable = read.reason === 'invalid_json' || read.reason === 'invalid_encoding';
    if (unreadable && payload.length > DEVICE_CONTRACT.maxPayloadBytes)
      return [
        {
          ...read,
          reason: 'payload_too_large',
          detail: `payload is ${payload.length} bytes; the limit is ${DEVICE_CONTRACT.maxPayloadBytes}`,
        },
      ];
    return [read];
  }
  if (read.kind === 'readings' && isHubBatch(read.body)) return parseHubBatch(read, now);
  if (payload.length > DEVICE_CONTRACT.maxPayloadBytes) return [tooLarge(read.reject, payload.length)];
  return [parseBody(read, read.body, now, read.reject)];
}

/**
 * Validates and normalises one device message (pure: the clock is passed in). Every failure
 * names a specific reason a device maker can act on. A hub batch is not one message: see
 * parseDevicePayload.
 */
export function parseDeviceMessage(
  topic: string,
  payload: Buffer,
  now: Date,
  timeZone: string | null = null,
): ParsedMessage {
  const read = readBody(topic, payload, DEVICE_CONTRACT.maxPayloadBytes);
  return read.ok ? settleDeviceTime(parseBody(read, read.body, now, read.reject), timeZone, now) : read;
}

function tooLarge(reject: Reject, bytes: number, limit: number = DEVICE_CONTRACT.maxPayloadBytes) {
  return reject('payload_too_large', `payload is ${bytes} bytes; the limit is ${limit}`);
}

function readBody(topic: string, payload: Buffer, maxBytes: number): ReadBody | RejectedMessage {
  const route = parseDeviceTopic(topic);
  const deviceRef = route?.deviceId ?? null;
  const reject: Reject = (reason, detail, messageId = null) => ({
    ok: false,
    reason,
    detail,
    deviceRef,
    messageId,
  });

  if (!route || !deviceRef || !UUID.test(deviceRef))
    return reject('invalid_device_id', `topic ${topic} does not name a device id`);
  // A BLE message is never a batch: its own limit applies before anything is decoded.
  const limit = route.kind === 'ble' ? DEVICE_CONTRACT.maxPayloadBytes : maxBytes;
  if (payload.length > limit) return tooLarge(reject, payload.length, limit);
  const decoded = decodeJson(payload);
  if (!decoded.ok) return reject(decoded.reason, decoded.detail);
  const { body, text } = decoded;
  return { ok: true, deviceRef, kind: route.kind, body, escapes: text.includes('\\u'), reject };
}

function isHubBatch(body: unknown): body is { messages: unknown } {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && 'messages' in body;
}

/** Checks the envelope, then each message on its own: a bad one rejects only itself. */
function parseHubBatch(read: ReadBody, now: Date): ParsedMessage[] {
  const body = read.body as { messages: unknown };
  const extra = Object.keys(body).filter((key) => key !== 'messages');
  if (extra.length > 0)
    return [read.reject('schema_violation', `a hub batch holds only messages (${extra.join(', ')})`)];
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return [read.reject('schema_violation', '/messages: must be an array of 1 or more messages')];
  const max = DEVICE_CONTRACT.maxMessagesPerBatch;
  if (body.messages.length > max)
    return [
      read.reject('batch_too_large', `/messages holds ${body.messages.length} messages; the limit is ${max}`),
    ];
  return body.messages.map((entry: unknown, index) => {
    // Rejections of one message keep that message, not the whole batch, as their payload.
    const reject: Reject = (reason, detail, messageId = null) => ({
      ...read.reject(reason, `/messages/${index}: ${detail}`, messageId),
      payload: Buffer.from(JSON.stringify(entry) ?? ''),
    });
    return parseBody(read, entry, now, reject);
  });
}

/** One message's body (a whole payload, or one entry of a hub batch). */
function parseBody(read: ReadBody, body: unknown, now: Date, reject: Reject): ParsedMessage {
  const { deviceRef } = read;
  // NUL and lone surrogates only reach a parsed string through a \u escape (JSON forbids raw
  // control characters in strings, and the bytes were checked as UTF-8), so most messages skip the walk.
  if (read.escapes) {
    const at = findUnstorableText(body);
    if (at !== undefined) {
      return reject(
        'invalid_characters',
        `${at}: contains NUL or an invalid code point, which cannot be stored`,
        messageIdOf(body),
      );
    }
  }
  const messageId = messageIdOf(body);
  if (read.kind === 'ble') return parseBleBody(deviceRef, body, messageId, now, reject);

  const nonFinite = findNonFiniteValue(body);
  if (nonFinite) return reject('non_finite_value', nonFinite, messageId);

  if (!validateSchema(body)) {
    const error = validateSchema.errors?.[0];
    const path = error?.instancePath || '/';
    if (error?.keyword === 'enum' && path.endsWith('/type')) {
      return reject(
        'unknown_type',
        `${path}: unknown reading type ${JSON.stringify(valueAt(body, path))}`,
        messageId,
      );
    }
    if (error?.keyword === 'enum' && path.endsWith('/unit')) {
      return reject(
        'unsupported_unit',
        `${path}: unit ${JSON.stringify(valueAt(body, path))} is not accepted for this type`,
        messageId,
      );
    }
    if (error?.keyword === 'format' && path === '/measuredAt') {
      return reject(
        'invalid_timestamp',
        `measuredAt ${JSON.stringify(valueAt(body, path))} is not an RFC 3339 date-time`,
        messageId,
      );
    }
    return reject('schema_violation', schemaViolationDetail(error, 'device contract'), messageId);
  }

  const measuredAtMs = Date.parse(body.measuredAt);
  if (Number.isNaN(measuredAtMs))
    return reject('invalid_timestamp', `measuredAt ${body.measuredAt} is not a valid time`, messageId);
  const late = checkMeasuredAt(new Date(measuredAtMs), body.measuredAt, now, messageId, reject);
  if (late) return late;

  const readings: NormalisedReading[] = [];
  const seen = new Set<VitalType>();
  for (const reading of body.readings) {
    if (seen.has(reading.type))
      return reject('duplicate_type', `${reading.type} appears more than once`, messageId);
    seen.add(reading.type);
    const def = VITALS[reading.type];
    const value = toCanonicalUnit(reading.type, reading.value, reading.unit);
    if (value === undefined)
      return reject(
        'unsupported_unit',
        `unit ${reading.unit} is not accepted for ${reading.type}`,
        messageId,
      );
    if (value < def.plausible.min || value > def.plausible.max)
      return implausible(reject, { type: reading.type, value: reading.value, unit: reading.unit }, messageId);
    readings.push({
      type: reading.type,
      loinc: def.loinc,
      value,
      unit: def.unit,
      sourceValue: reading.value,
      sourceUnit: reading.unit,
    });
  }

  const inconsistent = checkBloodPressure(readings, messageId, reject);
  if (inconsistent) return inconsistent;

  return {
    ok: true,
    deviceId: deviceRef.toLowerCase(),
    messageId: body.messageId,
    measuredAt: new Date(measuredAtMs),
    readings,
    flags: [],
  };
}

/**
 * A raw Bluetooth LE measurement: decoded, then held to the same time and plausibility checks
 * as JSON readings. Its own time stamp is measuredAt when it has one; receivedAt otherwise.
 */
function parseBleBody(
  deviceRef: string,
  body: unknown,
  messageId: string | null,
  now: Date,
  reject: Reject,
): ParsedMessage {
  if (!validateBleSchema(body)) {
    const error = validateBleSchema.errors?.[0];
    const path = error?.instancePath || '/';
    if (error?.keyword === 'format' && path === '/receivedAt') {
      return reject(
        'invalid_timestamp',
        `receivedAt ${JSON.stringify(valueAt(body, path))} is not an RFC 3339 date-time`,
        messageId,
      );
    }
    if (error?.keyword === 'pattern' && path === '/value') {
      return reject('invalid_hex', 'value must be an even number of hex digits', messageId);
    }
    if (error?.keyword === 'pattern' && path === '/characteristic') {
      return reject(
        'unknown_characteristic',
        `characteristic ${JSON.stringify(valueAt(body, path))} is not one of the decoded health measurements`,
        messageId,
      );
    }
    return reject('schema_violation', schemaViolationDetail(error, 'device contract'), messageId);
  }
  const receivedAtMs = Date.parse(body.receivedAt);
  if (Number.isNaN(receivedAtMs))
    return reject('invalid_timestamp', `receivedAt ${body.receivedAt} is not a valid time`, messageId);

  const decoded = decodeBleMeasurement(body.characteristic, body.value);
  if (!decoded.ok)
    return reject(decoded.reason, `${body.characteristic.toUpperCase()}: ${decoded.detail}`, messageId);

  const receivedAt = new Date(receivedAtMs);
  // A time stamp is checked once placed in its zone (settleDeviceTime); receivedAt now.
  if (!decoded.deviceTime) {
    const late = checkMeasuredAt(receivedAt, `${body.receivedAt} (receivedAt)`, now, messageId, reject);
    if (late) return late;
  }

  for (const reading of decoded.readings) {
    const def = VITALS[reading.type];
    if (
      !Number.isFinite(reading.value) ||
      reading.value < def.plausible.min ||
      reading.value > def.plausible.max
    )
      return implausible(
        reject,
        { type: reading.type, value: reading.sourceValue, unit: reading.sourceUnit },
        messageId,
      );
  }
  const inconsistent = checkBloodPressure(decoded.readings, messageId, reject);
  if (inconsistent) return inconsistent;

  const accepted: AcceptedMessage = {
    ok: true,
    deviceId: deviceRef.toLowerCase(),
    messageId: body.messageId,
    measuredAt: decoded.deviceTime ?? receivedAt,
    readings: decoded.readings,
    flags: decoded.flags,
  };
  if (decoded.deviceTime)
    accepted.pendingTime = {
      deviceTime: decoded.deviceTime,
      deviceClock: body.deviceClock ?? 'local',
      receivedAt,
    };
  return accepted;
}

/**
 * Places a Bluetooth time stamp in its zone (UTC for `deviceClock: "utc"`, else `timeZone`, the
 * patient's; null reads as UTC, as adherence does) and holds it to the time checks (pure).
 * A stamp a whole number of hours from the hub's receivedAt (suspectClockOffsetHours) is
 * flagged `clock_suspect`; when that puts it after receivedAt (nothing is measured after the
 * hub received it) it is taken as receivedAt, whose RFC 3339 form carries its zone, instead of
 * being refused as in the future: a clock in the wrong zone must not lose every reading. Behind,
 * it keeps the stamp (a hub's backlog may truly be hours old). Anything else passes through unchanged.
 */
export function settleDeviceTime(parsed: ParsedMessage, timeZone: string | null, now: Date): ParsedMessage {
  if (!parsed.ok || !parsed.pendingTime) return parsed;
  const { deviceTime, deviceClock, receivedAt } = parsed.pendingTime;
  const zone = deviceClock === 'utc' ? 'UTC' : (timeZone ?? 'UTC');
  let measuredAt = zonedWallClockToInstant(deviceTime, zone, receivedAt);
  const flags = [...parsed.flags];
  const offsetHours = suspectClockOffsetHours(measuredAt, receivedAt);
  if (offsetHours !== 0) {
    flags.push(CLOCK_SUSPECT_FLAG);
    if (measuredAt.getTime() > receivedAt.getTime()) measuredAt = receivedAt;
  }
  const reject: Reject = (reason, detail, messageId = null) => ({
    ok: false,
    reason,
    detail,
    deviceRef: parsed.deviceId,
    messageId,
  });
  const shown = `${measuredAt.toISOString()} (the measurement time stamp, read in ${zone})`;
  const late = checkMeasuredAt(measuredAt, shown, now, parsed.messageId, reject);
  if (late) return late;
  const settled: AcceptedMessage = { ...parsed, measuredAt, flags };
  delete settled.pendingTime;
  return settled;
}

function implausible(reject: Reject, value: ImplausibleValue, messageId: string | null): RejectedMessage {
  const def = VITALS[value.type];
  return {
    ...reject(
      'implausible_value',
      `${value.type} ${value.value} ${value.unit} is outside the possible range ${def.plausible.min}-${def.plausible.max} ${def.unit}`,
      messageId,
    ),
    implausible: value,
  };
}

/** Too far ahead of the server clock, or older than retention keeps: the retention policy would drop it. */
function checkMeasuredAt(
  measuredAt: Date,
  shown: string,
  now: Date,
  messageId: string | null,
  reject: Reject,
): RejectedMessage | undefined {
  if (measuredAt.getTime() > now.getTime() + DEVICE_CONTRACT.maxFutureSkewMs) {
    return reject(
      'measured_at_in_future',
      `measuredAt ${shown} is ahead of the server clock (${now.toISOString()})`,
      messageId,
    );
  }
  const oldest = oldestAcceptedMeasuredAt(now);
  if (measuredAt.getTime() < oldest.getTime()) {
    return reject(
      'measured_at_too_old',
      `measuredAt ${shown} is before ${oldest.toISOString()}: readings are kept ${DEVICE_CONTRACT.retentionYears} years`,
      messageId,
    );
  }
  return undefined;
}

function checkBloodPressure(
  readings: NormalisedReading[],
  messageId: string | null,
  reject: Reject,
): RejectedMessage | undefined {
  const systolic = readings.find((r) => r.type === 'blood_pressure_systolic');
  const diastolic = readings.find((r) => r.type === 'blood_pressure_diastolic');
  if (systolic && diastolic && systolic.value <= diastolic.value) {
    return reject(
      'systolic_not_above_diastolic',
      `systolic ${systolic.value} is not above diastolic ${diastolic.value}`,
      messageId,
    );
  }
  return undefined;
}

function messageIdOf(body: unknown): string | null {
  if (body && typeof body === 'object' && 'messageId' in body) {
    const id = body.messageId;
    if (typeof id === 'string') return escapeUnstorableText(id.slice(0, DEVICE_CONTRACT.maxMessageIdLength));
  }
  return null;
}

/** A `schema_violation` detail: where, what the schema says, and the property when one is extra. */
export function schemaViolationDetail(error: ErrorObject | undefined, contract: string): string {
  const path = error?.instancePath || '/';
  const extra =
    error?.params && 'additionalProperty' in error.params
      ? ` (${String(error.params.additionalProperty)})`
      : '';
  return `${path}: ${error?.message ?? `does not match the ${contract}`}${extra}`;
}

/** A device payload read as JSON, or why it cannot be: not UTF-8, or not JSON. */
export function decodeJson(
  payload: Buffer,
):
  | { ok: true; body: unknown; text: string }
  | { ok: false; reason: 'invalid_encoding' | 'invalid_json'; detail: string } {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { ok: false, reason: 'invalid_encoding', detail: 'payload is not valid UTF-8' };
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { ok: false, reason: 'invalid_json', detail: `payload is not JSON: ${(error as Error).message}` };
  }
}

/** JSON.parse turns 1e400 into Infinity; the schema would only call it "not a number". */
function findNonFiniteValue(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { readings?: unknown }).readings))
    return undefined;
  const readings = (body as { readings: unknown[] }).readings;
  for (let i = 0; i < readings.length; i++) {
    const value = (readings[i] as { value?: unknown } | null)?.value;
    if (typeof value === 'number' && !Number.isFinite(value))
      return `/readings/${i}/value is not a finite number`;
  }
  return undefined;
}

function valueAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      body,
    );
}

const MESSAGE_ID_KEY = Buffer.from('"messageId"');

/**
 * About how many device messages a payload holds, without parsing it: one per `"messageId"` key
 * (a hub batch holds one per message), between 1 and DEVICE_CONTRACT.maxMessagesPerBatch. For
 * backpressure and batch sizes, where a microsecond matters and an estimate will do.
 */
export function estimateDeviceMessages(payload: Buffer): number {
  let count = 0;
  for (let at = payload.indexOf(MESSAGE_ID_KEY); at >= 0; at = payload.indexOf(MESSAGE_ID_KEY, at + 1))
    if (++count >= DEVICE_CONTRACT.maxMessagesPerBatch) break;
  return Math.max(1, count);
}

/**
 * The stored excerpt of a rejected payload: capped, with what PostgreSQL text cannot hold (NUL,
 * a surrogate cut in half by the cap) written as a visible `\uXXXX` escape.
 */
export function payloadExcerpt(payload: Buffer, maxChars = 4096): string {
  return escapeUnstorableText(
    payload
      .subarray(0, maxChars * 4)
      .toString('utf8')
      .slice(0, maxChars),
  );
}
