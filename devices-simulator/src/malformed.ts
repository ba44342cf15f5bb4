import { DEVICE_CONTRACT, type DeviceMessageV1 } from '@homeward/contracts';
import type { MessageChannel } from './outbox';

/**
 * The ways the malformed-payload mode breaks a message, each with the rejection reason the
 * platform should give (device contract, "Rejections").
 */
export const MALFORMED_KINDS = {
  invalid_json: 'invalid_json',
  missing_field: 'schema_violation',
  wrong_unit: 'unsupported_unit',
  out_of_range: 'implausible_value',
  nul_byte: 'invalid_characters',
  oversize: 'payload_too_large',
  future_timestamp: 'measured_at_in_future',
  duplicate_type: 'duplicate_type',
  bad_ble_hex: 'invalid_hex',
  unknown_characteristic: 'unknown_characteristic',
} as const;

export type MalformedKind = keyof typeof MALFORMED_KINDS;
export const MALFORMED_KIND_NAMES = Object.keys(MALFORMED_KINDS) as MalformedKind[];

export interface BrokenMessage {
  kind: MalformedKind;
  expectedReason: string;
  channel: MessageChannel;
  payload: string;
  /** The messageId the platform can read back from the payload, when it can. */
  readableMessageId?: string;
}

/** Oversize: above the 16 KiB payload limit, far below the broker's packet limit (which would disconnect). */
const OVERSIZE_BYTES = DEVICE_CONTRACT.maxPayloadBytes + 4 * 1024;

/**
 * Breaks a well-formed message in the given way. The messageId gets a `.x` suffix so a broken
 * message never shares an id with a good one (which would be a conflicting duplicate instead).
 */
export function breakMessage(kind: MalformedKind, message: DeviceMessageV1, now: Date): BrokenMessage {
  const messageId = `${message.messageId}.x`;
  const good: DeviceMessageV1 = { ...message, messageId, readings: message.readings.map((r) => ({ ...r })) };
  const first = good.readings[0];
  const base = { kind, expectedReason: MALFORMED_KINDS[kind] };
  const readings = (m: DeviceMessageV1): BrokenMessage => ({
    ...base,
    channel: 'readings',
    payload: JSON.stringify(m),
    readableMessageId: messageId,
  });
  switch (kind) {
    case 'invalid_json':
      // Cut off mid-object, as a firmware bug or a torn buffer would.
      return { ...base, channel: 'readings', payload: JSON.stringify(good).slice(0, -7) };
    case 'missing_field': {
      const rest: Partial<DeviceMessageV1> = { ...good };
      delete rest.measuredAt;
      return { ...base, channel: 'readings', payload: JSON.stringify(rest), readableMessageId: messageId };
    }
    case 'wrong_unit':
      return readings({ ...good, readings: [{ ...first, unit: 'furlong' }] });
    case 'out_of_range':
      return readings({ ...good, readings: [{ ...first, value: 100_000 }] });
    case 'nul_byte':
      return readings({ ...good, readings: [{ ...first, unit: `${first.unit}\u0000` }] });
    case 'oversize':
      // The platform records it as too large before reading it, so its id does not come back.
      return {
        ...base,
        channel: 'readings',
        payload: JSON.stringify({ ...good, padding: 'x'.repeat(OVERSIZE_BYTES) }),
      };
    case 'future_timestamp': {
      const future = new Date(now.getTime() + 2 * 60 * 60 * 1000);
      return readings({ ...good, measuredAt: future.toISOString().replace(/\.\d{3}Z$/, 'Z') });
    }
    case 'duplicate_type':
      return readings({ ...good, readings: [first, { ...first }] });
    case 'bad_ble_hex':
      return {
        ...base,
        channel: 'ble',
        payload: JSON.stringify({
          messageId,
          characteristic: '2A35',
          value: '1e7800zz',
          receivedAt: good.measuredAt,
        }),
        readableMessageId: messageId,
      };
    case 'unknown_characteristic':
      return {
        ...base,
        channel: 'ble',
        // 0x2A37 is Heart Rate Measurement: real, but not one the platform decodes.
        payload: JSON.stringify({
          messageId,
          characteristic: '2A37',
          value: '0048',
          receivedAt: good.measuredAt,
        }),
        readableMessageId: messageId,
      };
  }
}
