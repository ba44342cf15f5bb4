import type { ByteReader } from './byte-reader';
import { BleDecodeError } from './ble-decode.error';
import { toNumber } from './ieee11073';
import { addVital, bitFlags, bleReading, type BleMeasurementBody } from './ble-measurement';

/**
 * Type is the least significant nibble of the Type-Sample Location byte, location the most
 * (GLS 1.0, as Nordic's parser reads it; some decoders swap them). 0 and 11-15 are reserved.
 */
const SAMPLE_TYPES: Readonly<Record<number, string>> = {
  1: 'capillary_whole_blood',
  2: 'capillary_plasma',
  3: 'venous_whole_blood',
  4: 'venous_plasma',
  5: 'arterial_whole_blood',
  6: 'arterial_plasma',
  7: 'undetermined_whole_blood',
  8: 'undetermined_plasma',
  9: 'interstitial_fluid',
  10: 'control_solution',
};

/** Sample location (high nibble); 0 and 5-14 are reserved. */
const SAMPLE_LOCATIONS: Readonly<Record<number, string>> = {
  1: 'finger',
  2: 'alternate_site_test',
  3: 'earlobe',
  4: 'control_solution',
  15: 'not_available',
};

const SENSOR_STATUS_BITS = [
  'device_battery_low',
  'sensor_malfunction',
  'sample_size_insufficient',
  'strip_insertion_error',
  'strip_type_incorrect',
  'result_above_device_range',
  'result_below_device_range',
  'temperature_too_high',
  'temperature_too_low',
  'read_interrupted',
  'general_device_fault',
  'time_fault',
] as const;

const MINUTE_MS = 60 * 1000;

/**
 * Glucose Measurement (0x2A18). Flags: bit0 time offset, bit1 concentration with type and
 * sample location, bit2 mol/L (else kg/L), bit3 sensor status annunciation, bit4 a context
 * record follows. The base time is mandatory; the offset (minutes) is added to it.
 */
export function decodeGlucose(reader: ByteReader): BleMeasurementBody {
  const flagsByte = reader.uint8('flags');
  const sequenceNumber = reader.uint16('sequence number');
  const baseTime = reader.dateTime('base time').date;
  const offsetMinutes = flagsByte & 0x01 ? reader.sint16('time offset') : 0;
  const body: BleMeasurementBody = { readings: [], flags: [], unavailable: [], context: { sequenceNumber } };
  if (baseTime) body.deviceTime = new Date(baseTime.getTime() + offsetMinutes * MINUTE_MS);
  if (!(flagsByte & 0x02)) {
    throw new BleDecodeError(
      'no_measurement',
      `record ${sequenceNumber} carries no glucose concentration (flags bit 1 clear)`,
    );
  }
  const molar = (flagsByte & 0x04) !== 0;
  // A meter's HI/LO comes as +/-INFINITY: addVital stores it at the catalogue's meter limit.
  addVital(body, 'blood_glucose', reader.sfloat('glucose concentration'), (concentration) =>
    molar
      ? // mol/L: the catalogue converts mmol/L to mg/dL.
        bleReading('blood_glucose', toNumber(concentration), 'mol/L', {
          value: toNumber(concentration, 3),
          unit: 'mmol/L',
        })
      : // kg/L to mg/dL is a power of ten (1 kg/L = 10^5 mg/dL), done on the exponent to stay exact.
        bleReading('blood_glucose', toNumber(concentration), 'kg/L', {
          value: toNumber(concentration, 5),
          unit: 'mg/dL',
        }),
  );
  const typeAndLocation = reader.uint8('type-sample location');
  const sampleType = SAMPLE_TYPES[typeAndLocation & 0x0f];
  const sampleLocation = SAMPLE_LOCATIONS[typeAndLocation >> 4];
  // A control-solution test checks the meter and strips, not the patient: never their reading.
  if (sampleType === 'control_solution' || sampleLocation === 'control_solution')
    throw new BleDecodeError(
      'control_solution',
      `record ${sequenceNumber} is a control-solution test (sample ${sampleType ?? 'type ' + (typeAndLocation & 0x0f)}, location ${sampleLocation ?? typeAndLocation >> 4})`,
    );
  if (sampleType) body.context.glucoseSampleType = sampleType;
  if (sampleLocation) body.context.glucoseSampleLocation = sampleLocation;
  if (flagsByte & 0x08)
    body.flags.push(...bitFlags(reader.uint16('sensor status annunciation'), SENSOR_STATUS_BITS));
  if (flagsByte & 0x10) body.context.glucoseContextFollows = true;
  return body;
}
