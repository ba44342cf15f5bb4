import type { VitalType } from '@homeward/contracts';
import type { RuleDefinition } from './rule-definition';
import { measurementKey, type RuleReading } from './rule-series';

/**
 * Measurement-status flags (decoded from the Bluetooth SIG characteristics by ingest) that make
 * a reading's value unreliable: a breach on such a reading waits for a re-measurement
 * (`remeasure.ts`). Only artefacts of how the measurement was taken are here, never findings:
 * - Blood Pressure Measurement 0x2A35, Measurement Status: `body_movement`, `cuff_too_loose`
 *   and `improper_position` bias the cuff's pressures; movement also corrupts the pulse it counts.
 *   `irregular_pulse` is left out on purpose: it may be atrial fibrillation, a finding in itself
 *   (see NOTED_FLAGS). The pulse-rate range bits are the device's own limits, not a fault.
 * - PLX Spot-Check Measurement 0x2A5E, Measurement Status and Device and Sensor Status: the
 *   questionable, invalid, unavailable, early-estimate and calibration bits, and every signal or sensor fault
 *   (low perfusion, erratic or poor signal, displaced or disconnected sensor, ...), for the SpO2
 *   and the pulse rate read by the same probe.
 * - Glucose Measurement 0x2A18, Sensor Status Annunciation: strip, sample, temperature and device
 *   faults. `result_above_device_range` / `result_below_device_range` are left out: the true
 *   value is even more extreme than the one stored, a reason to alert, not to wait.
 * Weight and temperature characteristics carry no status bits.
 */
const CUFF_PRESSURE = ['body_movement', 'cuff_too_loose', 'improper_position'] as const;

const OXIMETER = [
  'early_estimated_data',
  'calibration_ongoing',
  'measurement_unavailable',
  'questionable_measurement',
  'invalid_measurement',
  'equipment_malfunction',
  'signal_processing_irregularity',
  'inadequate_signal',
  'poor_signal',
  'low_perfusion',
  'erratic_signal',
  'nonpulsatile_signal',
  'questionable_pulse',
  'sensor_interference',
  'sensor_unconnected_to_user',
  'unknown_sensor_connected',
  'sensor_displaced',
  'sensor_malfunctioning',
  'sensor_disconnected',
] as const;

const GLUCOSE_METER = [
  'sensor_malfunction',
  'sample_size_insufficient',
  'strip_insertion_error',
  'strip_type_incorrect',
  'temperature_too_high',
  'temperature_too_low',
  'read_interrupted',
  'general_device_fault',
] as const;

export const UNRELIABLE_FLAGS: Readonly<Record<VitalType, ReadonlySet<string>>> = {
  blood_pressure_systolic: new Set(CUFF_PRESSURE),
  blood_pressure_diastolic: new Set(CUFF_PRESSURE),
  heart_rate: new Set(['body_movement', ...OXIMETER]),
  oxygen_saturation: new Set(OXIMETER),
  blood_glucose: new Set(GLUCOSE_METER),
  body_weight: new Set(),
  body_temperature: new Set(),
};

/**
 * Flags a clinician should read with the alert but that never hold it: an irregular pulse is
 * itself clinically meaningful, so its breach opens at once and says so.
 */
export const NOTED_FLAGS: ReadonlySet<string> = new Set(['irregular_pulse']);

/** The flags among `flags` that make a reading of `type` unreliable, in the device's order. */
export function unreliableFlags(type: string, flags: readonly string[] | undefined): string[] {
  const unreliable = (UNRELIABLE_FLAGS as Readonly<Record<string, ReadonlySet<string> | undefined>>)[type];
  return unreliable ? (flags ?? []).filter((flag) => unreliable.has(flag)) : [];
}

/**
 * A meter's HI or LO (IEEE 11073 +/-INFINITY), which ingest stores at the meter's limit with
 * these flags: the value shown is a bound, the true one beyond it.
 */
const METER_RANGE_NOTES: Readonly<Record<string, string>> = {
  above_range: ' — meter read HI (above its measuring range)',
  below_range: ' — meter read LO (below its measuring range)',
};

/**
 * What an alert's summary adds about the trigger's flags ("; device flagged body_movement",
 * " — meter read HI (above its measuring range)"), or '' when it carries none that matter for `type`.
 */
export function flagNote(type: string, flags: readonly string[] | undefined): string {
  const range = (flags ?? []).flatMap((flag) => METER_RANGE_NOTES[flag] ?? []).join('');
  const shown = [...unreliableFlags(type, flags), ...(flags ?? []).filter((flag) => NOTED_FLAGS.has(flag))];
  return range + (shown.length > 0 ? `; device flagged ${shown.join(', ')}` : '');
}

/**
 * Whether a rule judges the triggering reading's own value (a threshold, or an `any` of
 * thresholds), so a flag on that reading puts the breach in doubt. Averages and changes weigh
 * many readings: one flagged among them does not hold their finding.
 */
export function judgesOneReading(definition: RuleDefinition): boolean {
  if (definition.kind === 'threshold') return true;
  if (definition.kind === 'any') return definition.conditions.every((c) => c.kind !== 'average');
  return false;
}

/** Keys (`measurementKey`) of the measurements among `readings` flagged unreliable for a reading's type. */
export function unreliableMeasurements(
  readings: ReadonlyArray<RuleReading & { flags?: readonly string[] }>,
): Set<string> {
  return new Set(
    readings.filter((r) => unreliableFlags(r.type, r.flags).length > 0).map((r) => measurementKey(r)),
  );
}
