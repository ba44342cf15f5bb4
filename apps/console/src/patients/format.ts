import { VITAL_TYPES, VITALS, displayUnit, type VitalType } from '@homeward/contracts';
import { SEVERITY_LABELS, STATUS_LABELS } from '../alerts/alert-labels';

/** How each vital reads in a column header or a chart title. */
export const VITAL_NAMES: Readonly<Record<VitalType, string>> = {
  blood_pressure_systolic: 'Systolic blood pressure',
  blood_pressure_diastolic: 'Diastolic blood pressure',
  heart_rate: 'Heart rate',
  body_weight: 'Weight',
  oxygen_saturation: 'Oxygen saturation (SpO₂)',
  blood_glucose: 'Blood glucose',
  body_temperature: 'Temperature',
};

export function isVitalType(type: string): type is VitalType {
  return (VITAL_TYPES as readonly string[]).includes(type);
}

export function vitalName(type: string): string {
  return isVitalType(type) ? VITAL_NAMES[type] : type;
}

/** UCUM codes as people write them, from the one display table in contracts. */
export function unitLabel(unit: string): string {
  return displayUnit(unit);
}

/** The catalogue unit of a vital, as people write it. */
export function vitalUnit(type: string): string {
  return isVitalType(type) ? unitLabel(VITALS[type].unit) : '';
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** A value with its unit: "142 mmHg", "71.35 kg", "96 %". */
export function formatValue(value: number, unit: string): string {
  return `${numberFormat.format(value)} ${unitLabel(unit)}`;
}

/** A measurement as it is read aloud: blood pressure as "142/91 mmHg", others as one value. */
export function formatMeasurement(reading: {
  type: string;
  value: number;
  unit: string;
  alongside?: ReadonlyArray<{ type: string; value: number; unit: string }>;
}): string {
  const diastolic = reading.alongside?.find((other) => other.type === 'blood_pressure_diastolic');
  if (reading.type === 'blood_pressure_systolic' && diastolic)
    return `${numberFormat.format(reading.value)}/${numberFormat.format(diastolic.value)} ${unitLabel(reading.unit)}`;
  return formatValue(reading.value, reading.unit);
}

/** What a measurement is: "Blood pressure" for a cuff's systolic with its diastolic. */
export function measurementName(reading: {
  type: string;
  alongside?: ReadonlyArray<{ type: string }>;
}): string {
  if (
    reading.type === 'blood_pressure_systolic' &&
    reading.alongside?.some((other) => other.type === 'blood_pressure_diastolic')
  )
    return 'Blood pressure';
  return vitalName(reading.type);
}

/** The time zone of the browser: every time is shown in it first. */
export const USER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(timeZone: string, withZone: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withZone}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      ...(withZone ? { timeZoneName: 'short' } : {}),
    });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/**
 * A moment in the user's time zone, and in the patient's when its clock reads differently then
 * (null otherwise): "26 Nov 2026, 08:30" and "26 Nov 2026, 02:30 CST".
 */
export function formatMoment(
  iso: string,
  patientTimeZone: string | null | undefined,
  userTimeZone: string = USER_TIME_ZONE,
): { user: string; patient: string | null } {
  const at = new Date(iso);
  const user = dateTimeFormat(userTimeZone, false).format(at);
  const zone = patientTimeZone ?? 'UTC';
  const patient = dateTimeFormat(zone, false).format(at);
  return { user, patient: patient === user ? null : dateTimeFormat(zone, true).format(at) };
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** A calendar date (YYYY-MM-DD) as the user writes dates, with the age it gives today. */
export function formatBirthDate(birthDate: string, today: Date = new Date()): string {
  const [year, month, day] = birthDate.split('-').map(Number);
  let age = today.getFullYear() - year;
  if (today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day)) age -= 1;
  return `${dateFormat.format(new Date(Date.UTC(year, month - 1, day)))} (${age} years)`;
}

/** The queue's names for severities and states, keyed loosely for values read from the API. */
export const SEVERITY_NAMES: Readonly<Record<string, string>> = SEVERITY_LABELS;
export const STATUS_NAMES: Readonly<Record<string, string>> = STATUS_LABELS;

export const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  hypertension: 'Hypertension',
  heart_failure: 'Heart failure',
  copd: 'COPD',
  copd_hypercapnic: 'COPD, hypercapnic (SpO₂ 88–92 %)',
  diabetes: 'Diabetes',
};

export const DEVICE_KIND_NAMES: Readonly<Record<string, string>> = {
  bp_cuff: 'Blood-pressure cuff',
  scale: 'Scale',
  pulse_oximeter: 'Pulse oximeter',
  glucometer: 'Glucometer',
  thermometer: 'Thermometer',
  hub: 'Hub',
};
