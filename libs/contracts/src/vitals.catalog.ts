/**
 * The vitals catalogue: the one source for what a device may send, how it is coded (LOINC),
 * which UCUM unit it is stored in, which alternative units are converted, and which values
 * are physiologically possible. The JSON Schema, the ingest validator and the simulator all
 * read it.
 */
export const VITAL_TYPES = [
  'blood_pressure_systolic',
  'blood_pressure_diastolic',
  'heart_rate',
  'body_weight',
  'oxygen_saturation',
  'blood_glucose',
  'body_temperature',
] as const;

export type VitalType = (typeof VITAL_TYPES)[number];

export interface VitalDefinition {
  type: VitalType;
  loinc: string;
  display: string;
  /** UCUM code the value is stored in. */
  unit: string;
  /** Accepted UCUM codes besides `unit`, each with its conversion into `unit`. */
  alternativeUnits: Readonly<Record<string, (value: number) => number>>;
  /** Physiologically possible range in `unit`; values outside are rejected as device faults. */
  plausible: { min: number; max: number };
  /** Decimal places kept after conversion. */
  precision: number;
  /**
   * The reportable range of a home meter of this type, in `unit`: what a reading stored for a
   * meter's HI (IEEE 11073 +INFINITY) or LO (-INFINITY) result holds, flagged `above_range` or
   * `below_range`. A programme choice, not a standard's number; absent where no meter of the
   * type reports HI/LO, and then an infinity is read as "unavailable".
   */
  meterRange?: { min: number; max: number };
}

const identity = Object.freeze({});

export const VITALS: Readonly<Record<VitalType, VitalDefinition>> = {
  blood_pressure_systolic: {
    type: 'blood_pressure_systolic',
    loinc: '8480-6',
    display: 'Systolic blood pressure',
    unit: 'mm[Hg]',
    alternativeUnits: { kPa: (v) => v * 7.500615 },
    plausible: { min: 40, max: 300 },
    precision: 0,
  },
  blood_pressure_diastolic: {
    type: 'blood_pressure_diastolic',
    loinc: '8462-4',
    display: 'Diastolic blood pressure',
    unit: 'mm[Hg]',
    alternativeUnits: { kPa: (v) => v * 7.500615 },
    plausible: { min: 20, max: 200 },
    precision: 0,
  },
  heart_rate: {
    type: 'heart_rate',
    loinc: '8867-4',
    display: 'Heart rate',
    unit: '/min',
    alternativeUnits: { '{beats}/min': (v) => v },
    plausible: { min: 20, max: 300 },
    precision: 0,
  },
  body_weight: {
    type: 'body_weight',
    loinc: '29463-7',
    display: 'Body weight',
    unit: 'kg',
    alternativeUnits: { '[lb_av]': (v) => v * 0.45359237, g: (v) => v / 1000 },
    plausible: { min: 0.5, max: 500 },
    precision: 2,
  },
  oxygen_saturation: {
    type: 'oxygen_saturation',
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: '%',
    alternativeUnits: identity,
    plausible: { min: 40, max: 100 },
    precision: 0,
  },
  blood_glucose: {
    type: 'blood_glucose',
    loinc: '41653-7',
    display: 'Glucose [Mass/volume] in Capillary blood by Glucometer',
    unit: 'mg/dL',
    // Glucose molar mass 180.16 g/mol: 1 mmol/L = 18.016 mg/dL.
    alternativeUnits: { 'mmol/L': (v) => v * 18.016 },
    plausible: { min: 10, max: 1500 },
    precision: 0,
    // Home glucometers' labelling typically gives 20-600 mg/dL as the measuring range and shows
    // LO/HI outside it; the limits put a HI over the >= 400 and a LO under the < 54 critical
    // cut-offs, so either alerts critical (a programme choice).
    meterRange: { min: 20, max: 600 },
  },
  body_temperature: {
    type: 'body_temperature',
    loinc: '8310-5',
    display: 'Body temperature',
    unit: 'Cel',
    alternativeUnits: { '[degF]': (v) => ((v - 32) * 5) / 9 },
    plausible: { min: 25, max: 45 },
    precision: 1,
  },
};

/** Every unit a device may send for `type`, canonical first. */
export function acceptedUnits(type: VitalType): string[] {
  const def = VITALS[type];
  return [def.unit, ...Object.keys(def.alternativeUnits)];
}

/** Converts `value` in `unit` to the catalogue unit; undefined when the unit is not accepted. */
export function toCanonicalUnit(type: VitalType, value: number, unit: string): number | undefined {
  const def = VITALS[type];
  if (unit === def.unit) return value;
  const convert = Object.prototype.hasOwnProperty.call(def.alternativeUnits, unit)
    ? def.alternativeUnits[unit]
    : undefined;
  if (!convert) return undefined;
  const factor = 10 ** def.precision;
  return Math.round(convert(value) * factor) / factor;
}
