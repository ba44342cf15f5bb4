import type { ByteReader } from './byte-reader';
import { BleDecodeError } from './ble-decode.error';
import { isSpecial, toNumber } from './ieee11073';
import { addVital, bitFlags, bleReading, type BleMeasurementBody } from './ble-measurement';

// Bits 0-4 are reserved for future use.
const MEASUREMENT_STATUS_BITS = [
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  'measurement_ongoing',
  'early_estimated_data',
  'validated_data',
  'fully_qualified_data',
  'data_from_measurement_storage',
  'data_for_demonstration',
  'data_for_testing',
  'calibration_ongoing',
  'measurement_unavailable',
  'questionable_measurement',
  'invalid_measurement',
] as const;

// Bits 16-23 are reserved for future use.
const DEVICE_AND_SENSOR_STATUS_BITS = [
  'extended_display_update_ongoing',
  'equipment_malfunction',
  'signal_processing_irregularity',
  'inadequate_signal',
  'poor_signal',
  'low_perfusion',
  'erratic_signal',
  'nonpulsatile_signal',
  'questionable_pulse',
  'signal_analysis_ongoing',
  'sensor_interference',
  'sensor_unconnected_to_user',
  'unknown_sensor_connected',
  'sensor_displaced',
  'sensor_malfunctioning',
  'sensor_disconnected',
] as const;

/**
 * PLX Spot-Check Measurement (0x2A5E). Flags: bit0 time stamp, bit1 measurement status, bit2
 * device and sensor status (24 bits), bit3 pulse amplitude index, bit4 device clock not set.
 */
export function decodePlxSpotCheck(reader: ByteReader): BleMeasurementBody {
  const flagsByte = reader.uint8('flags');
  const body: BleMeasurementBody = { readings: [], flags: [], unavailable: [], context: {} };
  addVital(body, 'oxygen_saturation', reader.sfloat('SpO2'), (v) =>
    bleReading('oxygen_saturation', toNumber(v), '%'),
  );
  addVital(body, 'heart_rate', reader.sfloat('pulse rate'), (v) =>
    bleReading('heart_rate', toNumber(v), '/min'),
  );
  const clockNotSet = (flagsByte & 0x10) !== 0;
  if (flagsByte & 0x01) {
    // An unset clock's time is meaningless (often the epoch of its firmware): skip it unread,
    // so the caller falls back to receivedAt.
    if (clockNotSet) reader.skip(7, 'time stamp');
    else body.deviceTime = reader.dateTime('time stamp').date;
  }
  if (clockNotSet) body.flags.push('device_clock_not_set');
  if (flagsByte & 0x02) {
    const status = bitFlags(reader.uint16('measurement status'), MEASUREMENT_STATUS_BITS);
    // Demonstration and test data are the device showing itself off, not the patient.
    const notPatient = status.filter(
      (flag) => flag === 'data_for_demonstration' || flag === 'data_for_testing',
    );
    if (notPatient.length > 0)
      throw new BleDecodeError('device_test_data', `the oximeter marks the record ${notPatient.join(', ')}`);
    body.flags.push(...status);
  }
  if (flagsByte & 0x04)
    body.flags.push(...bitFlags(reader.uint24('device and sensor status'), DEVICE_AND_SENSOR_STATUS_BITS));
  if (flagsByte & 0x08) {
    // The index is context only: an oximeter that cannot compute it sends a special value, no fault.
    const pai = reader.sfloat('pulse amplitude index');
    if (!isSpecial(pai)) body.context.pulseAmplitudeIndex = toNumber(pai);
  }
  return body;
}
