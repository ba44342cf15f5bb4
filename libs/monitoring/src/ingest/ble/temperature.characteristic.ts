import type { ByteReader } from './byte-reader';
import { toNumber } from './ieee11073';
import { addVital, bleReading, type BleMeasurementBody } from './ble-measurement';

/** Temperature Type; 0 and 10-255 are reserved. */
const TEMPERATURE_SITES: Readonly<Record<number, string>> = {
  1: 'armpit',
  2: 'body_general',
  3: 'ear',
  4: 'finger',
  5: 'gastrointestinal_tract',
  6: 'mouth',
  7: 'rectum',
  8: 'toe',
  9: 'tympanum',
};

/**
 * Temperature Measurement (0x2A1C). Flags: bit0 Fahrenheit (else Celsius), bit1 time stamp,
 * bit2 temperature type. The value is a 32-bit IEEE 11073 FLOAT.
 */
export function decodeTemperature(reader: ByteReader): BleMeasurementBody {
  const flagsByte = reader.uint8('flags');
  const body: BleMeasurementBody = { readings: [], flags: [], unavailable: [], context: {} };
  // Its only vital: a special value here leaves nothing, and the decoder refuses the measurement.
  addVital(body, 'body_temperature', reader.float('temperature'), (v) =>
    bleReading('body_temperature', toNumber(v), flagsByte & 0x01 ? '[degF]' : 'Cel'),
  );
  if (flagsByte & 0x02) body.deviceTime = reader.dateTime('time stamp').date;
  if (flagsByte & 0x04) {
    const site = TEMPERATURE_SITES[reader.uint8('temperature type')];
    if (site) body.context.temperatureSite = site;
  }
  return body;
}
