import { BLE_CHARACTERISTIC_IDS, DEVICE_CLOCKS, DEVICE_CONTRACT } from './device-payload';
import { VITAL_TYPES, acceptedUnits } from './vitals.catalog';

/**
 * Device contract v1 as JSON Schema (draft 2020-12), generated from the vitals catalogue so
 * the published schema and the ingest validator cannot drift apart.
 */
export function deviceMessageSchemaV1(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://homeward.health/schemas/device-message.v1.json',
    title: 'Homeward device message v1',
    description: `Published QoS 1 to ${DEVICE_CONTRACT.topicPrefix}/{deviceId}/readings, UTF-8 JSON, at most ${DEVICE_CONTRACT.maxPayloadBytes} bytes; or one of up to ${DEVICE_CONTRACT.maxMessagesPerBatch} in a hub batch (device-hub-batch.v1).`,
    type: 'object',
    additionalProperties: false,
    required: ['messageId', 'measuredAt', 'readings'],
    properties: {
      messageId: {
        type: 'string',
        minLength: 1,
        maxLength: DEVICE_CONTRACT.maxMessageIdLength,
        pattern: '^[A-Za-z0-9._:-]+$',
        description: 'Unique per device; a repeated messageId with the same measuredAt is stored once.',
      },
      measuredAt: {
        type: 'string',
        format: 'date-time',
        description: 'RFC 3339 time of measurement, from the device clock, with a time zone.',
      },
      readings: {
        type: 'array',
        minItems: 1,
        maxItems: DEVICE_CONTRACT.maxReadingsPerMessage,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'value', 'unit'],
          properties: {
            type: { enum: [...VITAL_TYPES] },
            value: { type: 'number' },
            unit: { type: 'string', minLength: 1, maxLength: 32 },
          },
          allOf: VITAL_TYPES.map((type) => ({
            if: { properties: { type: { const: type } } },
            then: { properties: { unit: { enum: acceptedUnits(type) } } },
          })),
        },
      },
    },
  };
}

/**
 * Device contract v1: a hub's buffered messages in one payload on the readings topic, as JSON
 * Schema with the message schema inlined. Ingest checks the envelope, then each message alone,
 * so one bad message rejects only itself.
 */
export function deviceHubBatchSchemaV1(): Record<string, unknown> {
  const message = deviceMessageSchemaV1();
  delete message.$schema;
  delete message.$id;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://homeward.health/schemas/device-hub-batch.v1.json',
    title: 'Homeward hub batch v1',
    description: `Messages a hub buffered while offline, published QoS 1 to ${DEVICE_CONTRACT.topicPrefix}/{deviceId}/readings, UTF-8 JSON, at most ${DEVICE_CONTRACT.maxBatchPayloadBytes} bytes. Each message is validated, stored and receipted on its own.`,
    type: 'object',
    additionalProperties: false,
    required: ['messages'],
    properties: {
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: DEVICE_CONTRACT.maxMessagesPerBatch,
        items: { $ref: '#/$defs/message' },
      },
    },
    $defs: { message },
  };
}

/** Device contract v1 for raw Bluetooth LE measurements on `v1/devices/{deviceId}/ble`, as JSON Schema. */
export function deviceBleMessageSchemaV1(): Record<string, unknown> {
  // Either case, letter by letter (2A35, 2a35, 2a9D): the UUID is a number, not a name.
  const characteristics = BLE_CHARACTERISTIC_IDS.map((id) =>
    id.replace(/[A-F]/g, (letter) => `[${letter}${letter.toLowerCase()}]`),
  ).join('|');
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://homeward.health/schemas/device-ble-message.v1.json',
    title: 'Homeward Bluetooth LE measurement v1',
    description: `Published QoS 1 to ${DEVICE_CONTRACT.topicPrefix}/{deviceId}/ble, UTF-8 JSON, at most ${DEVICE_CONTRACT.maxPayloadBytes} bytes.`,
    type: 'object',
    additionalProperties: false,
    required: ['messageId', 'characteristic', 'value', 'receivedAt'],
    properties: {
      messageId: {
        type: 'string',
        minLength: 1,
        maxLength: DEVICE_CONTRACT.maxMessageIdLength,
        pattern: '^[A-Za-z0-9._:-]+$',
        description: 'Unique per device; a repeated messageId with the same measuredAt is stored once.',
      },
      characteristic: {
        type: 'string',
        pattern: `^(?:${characteristics})$`,
        description: `16-bit UUID of the characteristic: ${BLE_CHARACTERISTIC_IDS.join(', ')} (either case).`,
      },
      value: {
        type: 'string',
        minLength: 2,
        maxLength: DEVICE_CONTRACT.maxBleValueBytes * 2,
        pattern: '^(?:[0-9A-Fa-f]{2})+$',
        description: 'The characteristic value as hex (even length, two digits a byte).',
      },
      receivedAt: {
        type: 'string',
        format: 'date-time',
        description: 'RFC 3339 time the hub received the value; measuredAt when the value has no time stamp.',
      },
      deviceClock: {
        enum: [...DEVICE_CLOCKS],
        default: 'local',
        description:
          "The zone the device's clock keeps. The Bluetooth Date Time field carries none: 'local' (the default) reads the measurement's time stamp in the patient's time zone, 'utc' as UTC. A stamp a whole number of hours (1 to 14, within 2 minutes) from receivedAt is flagged clock_suspect.",
      },
    },
  };
}

/** Device contract v1 for the status a device reports on `v1/devices/{deviceId}/status`, as JSON Schema. */
export function deviceStatusMessageSchemaV1(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://homeward.health/schemas/device-status-message.v1.json',
    title: 'Homeward device status message v1',
    description: `Published QoS 1 to ${DEVICE_CONTRACT.topicPrefix}/{deviceId}/status, UTF-8 JSON, at most ${DEVICE_CONTRACT.maxPayloadBytes} bytes. The latest reportedAt wins; a field left out keeps the value last reported.`,
    type: 'object',
    additionalProperties: false,
    required: ['messageId', 'reportedAt'],
    properties: {
      messageId: {
        type: 'string',
        minLength: 1,
        maxLength: DEVICE_CONTRACT.maxMessageIdLength,
        pattern: '^[A-Za-z0-9._:-]+$',
        description: 'Unique per device.',
      },
      reportedAt: {
        type: 'string',
        format: 'date-time',
        description: 'RFC 3339 time the device took this status, from its clock, with a time zone.',
      },
      firmwareVersion: {
        type: 'string',
        minLength: 1,
        maxLength: DEVICE_CONTRACT.maxFirmwareVersionLength,
        description: 'The firmware the device runs, as its maker names it.',
      },
      batteryLevel: {
        type: 'number',
        minimum: 0,
        maximum: 100,
        description: 'Battery charge in percent.',
      },
      signalStrength: {
        type: 'number',
        minimum: -150,
        maximum: 0,
        description: 'Received signal strength (RSSI) in dBm.',
      },
    },
  };
}
