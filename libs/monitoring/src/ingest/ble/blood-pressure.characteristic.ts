import type { ByteReader } from './byte-reader';
import { isSpecial, requireNumber, toNumber } from './ieee11073';
import { bitFlags, bleReading, type BleMeasurementBody } from './ble-measurement';

const KPA_TO_MMHG = 7.500615;

const STATUS_BITS = ['body_movement', 'cuff_too_loose', 'irregular_pulse'] as const;

/**
 * Blood Pressure Measurement (0x2A35). Flags: bit0 kPa (else mmHg), bit1 time stamp, bit2 pulse
 * rate, bit3 user id, bit4 measurement status. Systolic and diastolic are stored; the mean
 * arterial pressure has no catalogue type and goes to the context.
 */
export function decodeBloodPressure(reader: ByteReader): BleMeasurementBody {
  const flagsByte = reader.uint8('flags');
  const sourceUnit = flagsByte & 0x01 ? 'kPa' : 'mm[Hg]';
  const systolic = toNumber(requireNumber(reader.sfloat('systolic'), 'systolic'));
  const diastolic = toNumber(requireNumber(reader.sfloat('diastolic'), 'diastolic'));
  // Monitors that do not compute a mean arterial pressure send NaN there (the SIG's "value not
  // available"); dropping the whole measurement for it would lose a good reading.
  const mapRaw = reader.sfloat('mean arterial pressure');
  const body: BleMeasurementBody = {
    readings: [
      bleReading('blood_pressure_systolic', systolic, sourceUnit),
      bleReading('blood_pressure_diastolic', diastolic, sourceUnit),
    ],
    flags: [],
    context: {},
  };
  if (!(isSpecial(mapRaw) && mapRaw.special === 'NaN')) {
    const map = toNumber(requireNumber(mapRaw, 'mean arterial pressure'));
    body.context.meanArterialPressureMmHg =
      sourceUnit === 'kPa' ? Math.round(map * KPA_TO_MMHG * 10) / 10 : map;
  }
  if (flagsByte & 0x02) body.measuredAt = reader.dateTime('time stamp').date;
  if (flagsByte & 0x04) {
    const pulse = toNumber(requireNumber(reader.sfloat('pulse rate'), 'pulse rate'));
    body.readings.push(bleReading('heart_rate', pulse, '/min'));
  }
  if (flagsByte & 0x08) {
    const userId = reader.uint8('user id');
    if (userId !== 0xff) body.userId = userId;
  }
  if (flagsByte & 0x10) body.flags = measurementStatusFlags(reader.uint16('measurement status'));
  return body;
}

function measurementStatusFlags(status: number): string[] {
  const flags = bitFlags(status, STATUS_BITS);
  // Bits 3-4 are one two-bit field: 0 within range, 1 above, 2 below, 3 reserved.
  const pulseRange = (status >> 3) & 0x03;
  if (pulseRange === 1) flags.push('pulse_rate_exceeds_upper_limit');
  if (pulseRange === 2) flags.push('pulse_rate_below_lower_limit');
  if (status & 0x20) flags.push('improper_position');
  return flags;
}
