import { BleDecodeError } from './ble-decode.error';
import {
  BLE_CHARACTERISTICS,
  type BleCharacteristic,
  type BleDecodeResult,
  type BleMeasurementBody,
} from './ble-measurement';
import { decodeBloodPressure } from './blood-pressure.characteristic';
import { ByteReader } from './byte-reader';
import { decodeGlucose } from './glucose.characteristic';
import { decodePlxSpotCheck } from './plx-spot-check.characteristic';
import { decodeTemperature } from './temperature.characteristic';
import { decodeWeight } from './weight.characteristic';

const DECODERS: Readonly<Record<BleCharacteristic, (reader: ByteReader) => BleMeasurementBody>> = {
  '2A35': decodeBloodPressure,
  '2A9D': decodeWeight,
  '2A5E': decodePlxSpotCheck,
  '2A18': decodeGlucose,
  '2A1C': decodeTemperature,
};

const HEX = /^(?:[0-9a-f]{2})*$/i;

function isBleCharacteristic(value: string): value is BleCharacteristic {
  return (BLE_CHARACTERISTICS as readonly string[]).includes(value);
}

/**
 * Decodes one Bluetooth LE health measurement characteristic value (hex, as a hub forwards it)
 * into catalogue readings (pure). The characteristic is its 16-bit UUID, case-insensitive.
 */
export function decodeBleMeasurement(characteristic: string, hex: string): BleDecodeResult {
  const uuid = characteristic.toUpperCase();
  if (!isBleCharacteristic(uuid)) {
    return {
      ok: false,
      reason: 'unknown_characteristic',
      detail: `characteristic ${JSON.stringify(characteristic)} is not one of ${BLE_CHARACTERISTICS.join(', ')}`,
    };
  }
  if (!HEX.test(hex)) {
    return {
      ok: false,
      reason: 'invalid_hex',
      detail: `value must be an even number of hex digits; got ${hex.length} character(s)`,
    };
  }
  const reader = new ByteReader(Uint8Array.from(Buffer.from(hex, 'hex')));
  try {
    const body = DECODERS[uuid](reader);
    if (body.readings.length === 0) {
      // Nothing left to store: each vital the measurement has was a special value.
      const fields = body.unavailable.map(({ type, special }) => `${type} is ${special}`);
      throw new BleDecodeError('special_float_value', fields.join(', '));
    }
    if (reader.remaining > 0) body.context.trailingBytes = reader.remaining;
    return { ok: true, characteristic: uuid, ...body };
  } catch (error) {
    if (error instanceof BleDecodeError) return { ok: false, reason: error.reason, detail: error.detail };
    throw error;
  }
}
