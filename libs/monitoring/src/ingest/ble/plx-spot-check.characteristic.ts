import type { ByteReader } from './byte-reader';
import { isSpecial, requireNumber, toNumber } from './ieee11073';
import { bitFlags, bleReading, type BleMeasurementBody } from './ble-measurement';

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
  const spo2 = toNumber(requireNumber(reader.sfloat('SpO2'), 'SpO2'));
  const pulse = toNumber(requireNumber(reader.sfloat('pulse rate'), 'pulse rate'));
  const body: BleMeasurementBody = {
    readings: [bleReading('oxygen_saturation', spo2, '%'), bleReading('heart_rate', pulse, '/min')],
    flags: [],
    context: {},
  };
  const clockNotSet = (flagsByte & 0x10) !== 0;
  if (flagsByte & 0x01) {
    // An unset clock's time is meaningless (often the epoch of its firmware): skip it unread,
    // so the caller falls back to receivedAt.
    if (clockNotSet) reader.skip(7, 'time stamp');
    else body.measuredAt = reader.dateTime('time stamp').date;
  }
  if (clockNotSet) body.flags.push('device_clock_not_set');
  if (flagsByte & 0x02)
    body.flags.push(...bitFlags(reader.uint16('measurement status'), MEASUREMENT_STATUS_BITS));
  if (flagsByte & 0x04)
    body.flags.push(...bitFlags(reader.uint24('device and sensor status'), DEVICE_AND_SENSOR_STATUS_BITS));
  if (flagsByte & 0x08) {
    // The index is context only: an oximeter that cannot compute it sends NaN, which is no fault.
    const pai = reader.sfloat('pulse amplitude index');
    if (!(isSpecial(pai) && pai.special === 'NaN'))
      body.context.pulseAmplitudeIndex = toNumber(requireNumber(pai, 'pulse amplitude index'));
  }
  return body;
}
