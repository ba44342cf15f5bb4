import { BLE_CHARACTERISTIC_IDS, VITALS, toCanonicalUnit, type VitalType } from '@homeward/contracts';
import type { NormalisedReading } from '../device-message.parser';
import type { BleDecodeFailureReason } from './ble-decode.error';
import { isSpecial, type Ieee11073Number, type Ieee11073Special, type Ieee11073Value } from './ieee11073';

export const BLE_CHARACTERISTICS = BLE_CHARACTERISTIC_IDS;

/** The 16-bit UUIDs of the Bluetooth SIG health measurements decoded here, upper-case hex. */
export type BleCharacteristic = (typeof BLE_CHARACTERISTICS)[number];

/**
 * What a characteristic carries besides the vitals we store: kept so nothing the device sent
 * is lost, and so a later step can store or show it. Units are fixed by the field name.
 */
export interface BleMeasurementContext {
  /** Blood pressure: mean arterial pressure, which the catalogue has no type for. */
  meanArterialPressureMmHg?: number;
  /** Weight scale: body mass index in kg/m2. */
  bmi?: number;
  /** Weight scale: height in metres (converted from inches on imperial scales). */
  heightM?: number;
  /** Pulse oximeter: pulse amplitude index in %. */
  pulseAmplitudeIndex?: number;
  /** Glucose meter: the record's sequence number in the meter's store. */
  sequenceNumber?: number;
  glucoseSampleType?: string;
  glucoseSampleLocation?: string;
  /** Glucose meter: a Glucose Measurement Context record follows with this sequence number. */
  glucoseContextFollows?: boolean;
  /** Thermometer: the body site. */
  temperatureSite?: string;
  /**
   * Bytes after the last field the flags announce. The SIG layouts may be extended in later
   * versions, so they are ignored rather than refused; the count is kept for diagnosis.
   */
  trailingBytes?: number;
}

export interface BleDecoded {
  ok: true;
  characteristic: BleCharacteristic;
  /** Converted to the catalogue unit; `sourceValue`/`sourceUnit` keep what the device sent. */
  readings: NormalisedReading[];
  /**
   * The measurement's own time stamp as the device's clock shows it, held in the Date's UTC
   * fields: the Bluetooth Date Time has no zone, so the caller says which zone it is in. Absent
   * when not sent, not known or the clock is unset (use receivedAt).
   */
  deviceTime?: Date;
  /** The device's user index; absent when not sent or 255 ("unknown user"). */
  userId?: number;
  /**
   * Status bits the device raised (`body_movement`, `low_perfusion`, ...), for rules to hold as
   * "re-measure"; `above_range`/`below_range` for a meter's HI/LO; `field_unavailable:<type>`
   * for each vital the device sent a special value for instead of a number.
   */
  flags: string[];
  /** The vitals the device sent NaN, NRes, a reserved value or an infinity it has no range for. */
  unavailable: Array<{ type: VitalType; special: Ieee11073Special }>;
  context: BleMeasurementContext;
}

/** The flag naming a vital the device marked unavailable: `field_unavailable:heart_rate`. */
export const FIELD_UNAVAILABLE_FLAG = 'field_unavailable';

/** A meter's HI (+INFINITY) or LO (-INFINITY), stored at the catalogue's meter limit. */
export const ABOVE_RANGE_FLAG = 'above_range';
export const BELOW_RANGE_FLAG = 'below_range';

export interface BleDecodeFailure {
  ok: false;
  reason: BleDecodeFailureReason;
  detail: string;
}

export type BleDecodeResult = BleDecoded | BleDecodeFailure;

/** The fields each characteristic decoder fills in; the dispatcher adds `ok` and the characteristic. */
export type BleMeasurementBody = Omit<BleDecoded, 'ok' | 'characteristic'>;

/** A reading in the catalogue's unit from a value in `sourceUnit` (which must be one the catalogue accepts). */
export function bleReading(
  type: VitalType,
  sourceValue: number,
  sourceUnit: string,
  canonicalFrom: { value: number; unit: string } = { value: sourceValue, unit: sourceUnit },
): NormalisedReading {
  const def = VITALS[type];
  const value = toCanonicalUnit(type, canonicalFrom.value, canonicalFrom.unit);
  if (value === undefined) throw new Error(`${canonicalFrom.unit} is not a catalogue unit for ${type}`);
  return { type, loinc: def.loinc, value, unit: def.unit, sourceValue, sourceUnit };
}

/**
 * Adds a vital read as an IEEE 11073 value: a number becomes a reading (`toReading`). A special
 * value does not drop the measurement's other vitals: BLS uses NaN for "this field is
 * unavailable" (quoted in Nordic's and others' public parsers), so NaN, NRes and the reserved
 * value leave the vital out and name it in `unavailable` and the flags. +/-INFINITY is a meter's
 * HI/LO: on a vital whose catalogue entry has a meter range it is stored at that limit, flagged
 * `above_range`/`below_range`; elsewhere it is unavailable too.
 */
export function addVital(
  body: BleMeasurementBody,
  type: VitalType,
  raw: Ieee11073Value,
  toReading: (value: Ieee11073Number) => NormalisedReading,
): void {
  if (!isSpecial(raw)) {
    body.readings.push(toReading(raw));
    return;
  }
  const { meterRange, unit } = VITALS[type];
  const infinite = raw.special === '+INFINITY' || raw.special === '-INFINITY';
  if (infinite && meterRange) {
    const above = raw.special === '+INFINITY';
    body.readings.push(bleReading(type, above ? meterRange.max : meterRange.min, unit));
    body.flags.push(above ? ABOVE_RANGE_FLAG : BELOW_RANGE_FLAG);
    return;
  }
  body.unavailable.push({ type, special: raw.special });
  body.flags.push(`${FIELD_UNAVAILABLE_FLAG}:${type}`);
}

/** Names of the set bits of `bits`, by bit position. */
export function bitFlags(bits: number, names: readonly (string | undefined)[]): string[] {
  const flags: string[] = [];
  names.forEach((name, bit) => {
    if (name && bits & (1 << bit)) flags.push(name);
  });
  return flags;
}
