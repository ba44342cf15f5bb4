import { BLE_CHARACTERISTIC_IDS, VITALS, toCanonicalUnit, type VitalType } from '@homeward/contracts';
import type { NormalisedReading } from '../device-message.parser';
import type { BleDecodeFailureReason } from './ble-decode.error';

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
  /** The measurement's own time stamp; absent when not sent, not known or the clock is unset (use receivedAt). */
  measuredAt?: Date;
  /** The device's user index; absent when not sent or 255 ("unknown user"). */
  userId?: number;
  /** Status bits the device raised (`body_movement`, `low_perfusion`, ...), for rules to hold as "re-measure". */
  flags: string[];
  context: BleMeasurementContext;
}

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

/** Names of the set bits of `bits`, by bit position. */
export function bitFlags(bits: number, names: readonly (string | undefined)[]): string[] {
  const flags: string[] = [];
  names.forEach((name, bit) => {
    if (name && bits & (1 << bit)) flags.push(name);
  });
  return flags;
}
