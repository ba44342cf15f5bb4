/** Why a device message was rejected; stored with the raw payload in `reading_rejections`. */
export const REJECTION_REASONS = [
  'payload_too_large',
  'invalid_encoding',
  'invalid_json',
  'schema_violation',
  /** A hub batch holds more than DEVICE_CONTRACT.maxMessagesPerBatch messages: rejected whole. */
  'batch_too_large',
  'invalid_device_id',
  'unknown_device',
  'unknown_type',
  'unsupported_unit',
  'non_finite_value',
  'implausible_value',
  'invalid_timestamp',
  'measured_at_in_future',
  'measured_at_too_old',
  'duplicate_type',
  'systolic_not_above_diastolic',
  /** A string or property name holds NUL or an invalid code point (a lone UTF-16 surrogate). */
  'invalid_characters',
  /** The same messageId from the same device arrived before with other contents. */
  'conflicting_duplicate',
  /** Storing the message failed for a reason no validation foresaw; set aside so the rest are stored. */
  'processing_failed',
  /** Bluetooth LE (`v1/devices/{deviceId}/ble`): the value is not an even-length hex string. */
  'invalid_hex',
  /** Bluetooth LE: the characteristic is not one of the health measurements decoded. */
  'unknown_characteristic',
  /** Bluetooth LE: a field the flags announce (or a mandatory one) is cut off. */
  'truncated',
  /** Bluetooth LE: an IEEE 11073 SFLOAT/FLOAT holds NaN, NRes, +/-INFINITY or a reserved value. */
  'special_float_value',
  /** Bluetooth LE: the device itself reports the measurement failed. */
  'measurement_unsuccessful',
  /** Bluetooth LE: the value is well formed but carries no measurement to store. */
  'no_measurement',
  /** Bluetooth LE: a glucose record of a control-solution test (GLS sample type or location): not the patient's blood. */
  'control_solution',
  /** Bluetooth LE: an oximeter record its device marks as demonstration or test data: not the patient's. */
  'device_test_data',
  /** The device was deactivated: nothing it sends is stored until it is reactivated. */
  'device_deactivated',
  /**
   * The device's patient has no active `rpm_monitoring` consent (never recorded, or revoked):
   * nothing is stored or evaluated. Checked when the batch is stored, so a revocation applies
   * to the next batch, including messages already queued.
   */
  'no_consent',
  /** A status (`v1/devices/{deviceId}/status`) stamped further ahead of the server clock than drift explains. */
  'reported_at_in_future',
  /**
   * The device sent more than DEVICE_MAX_MESSAGES_PER_MINUTE messages this minute (behind an
   * external broker): not stored; the device keeps it and sends it again later.
   */
  'rate_limited',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];
