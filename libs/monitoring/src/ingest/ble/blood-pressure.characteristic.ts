import type { ByteReader } from './byte-reader';
import { isSpecial, toNumber } from './ieee11073';
import { addVital, bitFlags, bleReading, type BleMeasurementBody } from './ble-measurement';

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
  const body: BleMeasurementBody = { readings: [], flags: [], unavailable: [], context: {} };
  // BLS: "If a value for Systolic, Diastolic or MAP subfields is unavailable ... NaN ... shall be
  // used": one unavailable pressure leaves the other (a 200/130 with no pulse still alerts).
  addVital(body, 'blood_pressure_systolic', reader.sfloat('systolic'), (v) =>
    bleReading('blood_pressure_systolic', toNumber(v), sourceUnit),
  );
  addVital(body, 'blood_pressure_diastolic', reader.sfloat('diastolic'), (v) =>
    bleReading('blood_pressure_diastolic', toNumber(v), sourceUnit),
  );
  // The mean arterial pressure is context only (no catalogue type): any special value there
  // just leaves it out.
  const map = reader.sfloat('mean arterial pressure');
  if (!isSpecial(map)) {
    const mmHg = toNumber(map);
    body.context.meanArterialPressureMmHg =
      sourceUnit === 'kPa' ? Math.round(mmHg * KPA_TO_MMHG * 10) / 10 : mmHg;
  }
  if (flagsByte & 0x02) body.deviceTime = reader.dateTime('time stamp').date;
  if (flagsByte & 0x04)
    addVital(body, 'heart_rate', reader.sfloat('pulse rate'), (v) =>
      bleReading('heart_rate', toNumber(v), '/min'),
    );
  if (flagsByte & 0x08) {
    const userId = reader.uint8('user id');
    if (userId !== 0xff) body.userId = userId;
  }
  if (flagsByte & 0x10) body.flags.push(...measurementStatusFlags(reader.uint16('measurement status')));
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
