/** Why a Bluetooth LE characteristic value could not be decoded into readings. */
export const BLE_DECODE_FAILURES = [
  /** The value is not an even-length string of hex digits. */
  'invalid_hex',
  /** The characteristic is not one of the five health measurements decoded here. */
  'unknown_characteristic',
  /** A field the flags announce (or a mandatory one) is cut off; the detail names it. */
  'truncated',
  /** Every vital of the measurement is an IEEE 11073 special value (NaN, NRes, an infinity without a meter range, reserved). */
  'special_float_value',
  /** The device itself reports the measurement failed (weight 0xFFFF). */
  'measurement_unsuccessful',
  /** A Date Time field holds an impossible date or time (month 13, 25 o'clock, 30 February). */
  'invalid_timestamp',
  /** The value is well formed but carries no measurement to store (a glucose record without concentration). */
  'no_measurement',
  /** A glucose record of a control-solution test (GLS sample type 10 or sample location 4). */
  'control_solution',
  /** An oximeter record marked as demonstration or test data (PLX measurement status bits 10 and 11). */
  'device_test_data',
] as const;

export type BleDecodeFailureReason = (typeof BLE_DECODE_FAILURES)[number];

/** Thrown inside the field readers, caught once by `decodeBleMeasurement`. */
export class BleDecodeError extends Error {
  constructor(
    readonly reason: BleDecodeFailureReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}
