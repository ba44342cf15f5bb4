import type { DeviceBleMessageV1, DeviceMessageV1, VitalType } from '@homeward/contracts';

/**
 * The simulator's own encoder of the Bluetooth SIG health measurement characteristics (all
 * little-endian, values as IEEE 11073 SFLOAT/FLOAT). The platform's decoder lives in
 * libs/monitoring and the test vectors in libs/testing; a device imports neither.
 */

/** SFLOAT mantissas 0x07FE..0x0802 (as 12-bit two's complement ±2045 and beyond) are special values. */
const SFLOAT_MANTISSA_MAX = 2045;
const FLOAT_MANTISSA_MAX = 0x7ffffd;

function u16(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff];
}

/** IEEE 11073 16-bit SFLOAT of `value`, keeping up to `decimals` places (fewer if the mantissa overflows). */
export function encodeSfloat(value: number, decimals: number): number[] {
  for (let d = decimals; d >= -7; d--) {
    const mantissa = Math.round(value * 10 ** d);
    if (Math.abs(mantissa) <= SFLOAT_MANTISSA_MAX && -d >= -8 && -d <= 7) {
      return u16(((-d & 0x0f) << 12) | (mantissa & 0x0fff));
    }
  }
  throw new Error(`${value} does not fit an SFLOAT`);
}

/** IEEE 11073 32-bit FLOAT of `value` with `decimals` places. */
export function encodeFloat(value: number, decimals: number): number[] {
  const mantissa = Math.round(value * 10 ** decimals);
  if (Math.abs(mantissa) > FLOAT_MANTISSA_MAX) throw new Error(`${value} does not fit a FLOAT`);
  const raw = (((-decimals & 0xff) << 24) | (mantissa & 0x00ffffff)) >>> 0;
  return [raw & 0xff, (raw >>> 8) & 0xff, (raw >>> 16) & 0xff, (raw >>> 24) & 0xff];
}

/** Bluetooth "Date Time" (7 bytes) in UTC: the simulated hub says so with `deviceClock: "utc"`. */
export function encodeDateTime(at: Date): number[] {
  return [
    ...u16(at.getUTCFullYear()),
    at.getUTCMonth() + 1,
    at.getUTCDate(),
    at.getUTCHours(),
    at.getUTCMinutes(),
    at.getUTCSeconds(),
  ];
}

export function toHex(bytes: readonly number[]): string {
  return bytes.map((b) => (b & 0xff).toString(16).padStart(2, '0')).join('');
}

/** Measurement-status bits a real device sets now and then (blood pressure 0x2A35). */
export const BP_STATUS = { bodyMovement: 0x0001, cuffTooLoose: 0x0002, irregularPulse: 0x0004 } as const;
/** PLX spot-check device-and-sensor status bits (0x2A5E). */
export const PLX_SENSOR_STATUS = { lowPerfusion: 0x000020 } as const;

/** 0x2A35: flags (mmHg, time stamp, pulse, measurement status), systolic, diastolic, MAP, time, pulse, status. */
export function encodeBloodPressure(v: {
  systolic: number;
  diastolic: number;
  pulse?: number;
  at: Date;
  status?: number;
}): string {
  const flags = 0x02 | (v.pulse !== undefined ? 0x04 : 0) | (v.status !== undefined ? 0x10 : 0);
  const map = v.diastolic + (v.systolic - v.diastolic) / 3;
  return toHex([
    flags,
    ...encodeSfloat(v.systolic, 0),
    ...encodeSfloat(v.diastolic, 0),
    ...encodeSfloat(map, 0),
    ...encodeDateTime(v.at),
    ...(v.pulse !== undefined ? encodeSfloat(v.pulse, 0) : []),
    ...(v.status !== undefined ? u16(v.status) : []),
  ]);
}

/** 0x2A9D: flags (SI or imperial, time stamp), weight in 0.005 kg or 0.01 lb, time. */
export function encodeWeight(v: { value: number; unit: 'kg' | '[lb_av]'; at: Date }): string {
  const imperial = v.unit === '[lb_av]';
  const raw = Math.round(imperial ? v.value * 100 : v.value / 0.005);
  if (raw < 0 || raw >= 0xffff) throw new Error(`${v.value} ${v.unit} does not fit a weight measurement`);
  return toHex([(imperial ? 0x01 : 0) | 0x02, ...u16(raw), ...encodeDateTime(v.at)]);
}

/** 0x2A5E: flags (time stamp, device and sensor status when given), SpO2, pulse, time, status. */
export function encodePlxSpotCheck(v: {
  spo2: number;
  pulse: number;
  at: Date;
  sensorStatus?: number;
}): string {
  const flags = 0x01 | (v.sensorStatus !== undefined ? 0x04 : 0);
  const status =
    v.sensorStatus !== undefined
      ? [v.sensorStatus & 0xff, (v.sensorStatus >>> 8) & 0xff, (v.sensorStatus >>> 16) & 0xff]
      : [];
  return toHex([
    flags,
    ...encodeSfloat(v.spo2, 0),
    ...encodeSfloat(v.pulse, 0),
    ...encodeDateTime(v.at),
    ...status,
  ]);
}

/**
 * 0x2A18: flags (concentration with type and location; mol/L for mmol/L meters), sequence
 * number, base time, concentration (kg/L or mol/L), capillary whole blood from a finger.
 */
export function encodeGlucose(v: {
  value: number;
  unit: 'mg/dL' | 'mmol/L';
  sequence: number;
  at: Date;
}): string {
  const molar = v.unit === 'mmol/L';
  // mg/dL → kg/L is 10^-5 and mmol/L → mol/L 10^-3: done on the exponent, so the value stays exact.
  const concentration = molar ? encodeSfloatScaled(v.value, 1, 3) : encodeSfloatScaled(v.value, 0, 5);
  return toHex([
    0x02 | (molar ? 0x04 : 0),
    ...u16(v.sequence & 0xffff),
    ...encodeDateTime(v.at),
    ...concentration,
    0x11, // type 1 (capillary whole blood), location 1 (finger)
  ]);
}

/** SFLOAT of value × 10^-shift, with `decimals` places in the value's own unit. */
function encodeSfloatScaled(value: number, decimals: number, shift: number): number[] {
  const mantissa = Math.round(value * 10 ** decimals);
  const exponent = -(decimals + shift);
  if (Math.abs(mantissa) > SFLOAT_MANTISSA_MAX || exponent < -8)
    throw new Error(`${value} does not fit an SFLOAT`);
  return u16(((exponent & 0x0f) << 12) | (mantissa & 0x0fff));
}

/** 0x2A1C: flags (Celsius or Fahrenheit, time stamp, type), FLOAT temperature, time, type (mouth). */
export function encodeTemperature(v: { value: number; unit: 'Cel' | '[degF]'; at: Date }): string {
  return toHex([
    (v.unit === '[degF]' ? 0x01 : 0) | 0x02 | 0x04,
    ...encodeFloat(v.value, 1),
    ...encodeDateTime(v.at),
    6,
  ]);
}

/** A BLE message before it gets its messageId. */
export type BleMeasurement = Omit<DeviceBleMessageV1, 'messageId'>;

/**
 * The characteristic values a Bluetooth device would have notified for one JSON message: blood
 * pressure (with the pulse from the cuff), weight, PLX spot-check (SpO2 with the pulse), glucose,
 * temperature. `statusBits` adds measurement-status bits where the layout has them.
 */
export function encodeBleMeasurements(
  message: DeviceMessageV1,
  options: { receivedAt: Date; sequence: number; statusBits?: boolean },
): BleMeasurement[] {
  const at = new Date(message.measuredAt);
  const value = (type: VitalType): number | undefined => message.readings.find((r) => r.type === type)?.value;
  const unit = (type: VitalType): string | undefined => message.readings.find((r) => r.type === type)?.unit;
  const receivedAt = options.receivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const out: BleMeasurement[] = [];
  const push = (characteristic: string, hex: string): void => {
    // The encoded time stamps are UTC; without this the platform reads them in the patient's zone.
    out.push({ characteristic, value: hex, receivedAt, deviceClock: 'utc' });
  };
  const systolic = value('blood_pressure_systolic');
  const diastolic = value('blood_pressure_diastolic');
  const pulse = value('heart_rate');
  const spo2 = value('oxygen_saturation');
  if (systolic !== undefined && diastolic !== undefined) {
    push(
      '2A35',
      encodeBloodPressure({
        systolic,
        diastolic,
        pulse,
        at,
        status: options.statusBits ? BP_STATUS.bodyMovement : undefined,
      }),
    );
  }
  const weight = value('body_weight');
  if (weight !== undefined) {
    push(
      '2A9D',
      encodeWeight({ value: weight, unit: unit('body_weight') === '[lb_av]' ? '[lb_av]' : 'kg', at }),
    );
  }
  if (spo2 !== undefined && pulse !== undefined) {
    push(
      '2A5E',
      encodePlxSpotCheck({
        spo2,
        pulse,
        at,
        sensorStatus: options.statusBits ? PLX_SENSOR_STATUS.lowPerfusion : undefined,
      }),
    );
  }
  const glucose = value('blood_glucose');
  if (glucose !== undefined) {
    const glucoseUnit = unit('blood_glucose') === 'mmol/L' ? 'mmol/L' : 'mg/dL';
    push('2A18', encodeGlucose({ value: glucose, unit: glucoseUnit, sequence: options.sequence, at }));
  }
  const temperature = value('body_temperature');
  if (temperature !== undefined) {
    const temperatureUnit = unit('body_temperature') === '[degF]' ? '[degF]' : 'Cel';
    push('2A1C', encodeTemperature({ value: temperature, unit: temperatureUnit, at }));
  }
  return out;
}
