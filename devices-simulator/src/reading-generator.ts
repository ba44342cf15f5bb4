import { VITALS } from '@homeward/contracts';
import type { DeviceKind, DeviceMessageV1, DeviceReadingV1, VitalType } from '@homeward/contracts';
import { vitalsMeasuredBy } from './device-kinds';
import type { PatientProfile } from './patient-profile';
import { physiologicalValues, type ConditionTraits } from './physiology';
import { applyScenarioEffects, type ScenarioEffect } from './scenarios';
import { createSeededRandom, type SeededRandom } from './seeded-random';

/** The unit a device reports each type in (a UCUM code accepted by the catalogue). */
export type DeviceUnits = Readonly<Record<VitalType, string>>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Decimal places a device displays in its own unit; finer than the catalogue would be false precision. */
const DEVICE_DECIMALS: Readonly<Record<string, number>> = {
  'mm[Hg]': 0,
  '/min': 0,
  kg: 1,
  '[lb_av]': 1,
  '%': 0,
  'mg/dL': 0,
  'mmol/L': 1,
  Cel: 1,
  '[degF]': 1,
};

const NORMAL_CEILING = { systolic: 172, diastolic: 108 };
const NORMAL_FLOOR = { spo2: 93 };

const MESSAGE_ID_UNSAFE = /[^A-Za-z0-9._:-]/g;

/**
 * Converts a catalogue-unit value into `unit`. The catalogue only converts towards its unit;
 * its conversions are affine, so the inverse comes from two points and cannot drift from it.
 */
export function fromCanonicalUnit(type: VitalType, value: number, unit: string): number {
  const def = VITALS[type];
  if (unit === def.unit) return value;
  const convert = Object.prototype.hasOwnProperty.call(def.alternativeUnits, unit)
    ? def.alternativeUnits[unit]
    : undefined;
  if (!convert) throw new Error(`${unit} is not an accepted unit for ${type}`);
  const offset = convert(0);
  const slope = convert(1) - offset;
  return (value - offset) / slope;
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Per-device unit choice: some scales weigh in pounds, some meters use mmol/L or °F. */
export function chooseDeviceUnits(deviceId: string, seed: string): DeviceUnits {
  const rng = createSeededRandom(`${seed}|units|${deviceId}`);
  const weight = rng.chance(0.25) ? '[lb_av]' : 'kg';
  const glucose = rng.chance(0.3) ? 'mmol/L' : 'mg/dL';
  const temperature = rng.chance(0.3) ? '[degF]' : 'Cel';
  return {
    blood_pressure_systolic: VITALS.blood_pressure_systolic.unit,
    blood_pressure_diastolic: VITALS.blood_pressure_diastolic.unit,
    heart_rate: VITALS.heart_rate.unit,
    body_weight: weight,
    oxygen_saturation: VITALS.oxygen_saturation.unit,
    blood_glucose: glucose,
    body_temperature: temperature,
  };
}

/** Unique per device across runs (the time part), only [A-Za-z0-9._:-]. */
export function createMessageId(deviceId: string, counter: number, at: Date): string {
  return `${deviceId.slice(0, 8).replace(MESSAGE_ID_UNSAFE, '-')}-${counter}-${at.getTime().toString(36)}`;
}

/** RFC 3339 in UTC, whole seconds, e.g. 2026-11-25T07:02:11Z. */
export function formatMeasuredAt(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A bell curve around `peakHour` (local time), 1 at the peak. */
function hourBell(hour: number, peakHour: number, widthHours: number): number {
  return Math.exp(-((hour - peakHour) ** 2) / (2 * widthHours ** 2));
}

export interface ReadingGeneratorOptions {
  deviceId: string;
  kind: DeviceKind;
  profile: PatientProfile;
  seed: string;
  /** When the simulation started: trends count days from here. */
  startedAt: Date;
  effects?: readonly ScenarioEffect[];
  /** Defaults to a seeded choice per device. */
  units?: DeviceUnits;
  /**
   * A chronic condition with its daily rhythm and episodes (--conditions). Without it the
   * generator keeps the baseline model, which stays below alert thresholds.
   */
  condition?: ConditionTraits;
}

/**
 * Produces one device's messages. Pure apart from its own PRNG: the same seed, device id and
 * measurement times give the same messages.
 */
export class ReadingGenerator {
  readonly units: DeviceUnits;
  readonly types: readonly VitalType[];
  private readonly rng: SeededRandom;
  private readonly effects: readonly ScenarioEffect[];
  private counter = 0;

  constructor(private readonly options: ReadingGeneratorOptions) {
    this.rng = createSeededRandom(`${options.seed}|readings|${options.deviceId}`);
    this.units = options.units ?? chooseDeviceUnits(options.deviceId, options.seed);
    this.types = vitalsMeasuredBy(options.kind);
    this.effects = options.effects ?? [];
  }

  /** How many messages this generator has produced. */
  get produced(): number {
    return this.counter;
  }

  next(at: Date): DeviceMessageV1 {
    this.counter += 1;
    const values = this.options.condition
      ? this.conditionValues(at, this.options.condition)
      : this.normalValues(at);
    const daysSinceStart = Math.max(0, (at.getTime() - this.options.startedAt.getTime()) / DAY_MS);
    applyScenarioEffects(values, this.effects, this.counter, daysSinceStart, at);

    const readings: DeviceReadingV1[] = this.types.map((type) => {
      const { min, max } = VITALS[type].plausible;
      const canonical = Math.min(max, Math.max(min, values.get(type) ?? min));
      const unit = this.units[type];
      const decimals = DEVICE_DECIMALS[unit] ?? VITALS[type].precision;
      return { type, value: roundTo(fromCanonicalUnit(type, canonical, unit), decimals), unit };
    });
    return {
      messageId: createMessageId(this.options.deviceId, this.counter, at),
      measuredAt: formatMeasuredAt(at),
      readings,
    };
  }

  private conditionValues(at: Date, traits: ConditionTraits): Map<VitalType, number> {
    const all = physiologicalValues(traits, at, this.rng);
    return new Map(this.types.map((type) => [type, all[type]]));
  }

  /**
   * Baseline plus noise for every type this device reports. Every draw happens on every call,
   * in a fixed order, so scenarios and device kinds never shift another value's random stream.
   */
  private normalValues(at: Date): Map<VitalType, number> {
    const p = this.options.profile;
    const rng = this.rng;
    // The patient's local morning: BP, pulse and glucose rise after waking (morning surge, dawn effect).
    const hour = at.getHours() + at.getMinutes() / 60;
    const morning = hourBell(hour, 7.5, 1.3);
    const days = at.getTime() / DAY_MS;

    // Normal readings stay below the critical thresholds (BP 180/120, SpO2 < 92 is typical):
    // in a demo, alerts should come from scenarios, not from an unlucky draw.
    const systolic = Math.min(NORMAL_CEILING.systolic, p.systolic + 14 * morning + rng.normal(0, 6));
    const diastolic = Math.min(
      systolic - 25,
      NORMAL_CEILING.diastolic,
      p.diastolic + 7 * morning + rng.normal(0, 4),
    );
    const cuffPulse = p.heartRate + 5 * morning + rng.normal(0, 4);
    const oximeterPulse = p.heartRate + 5 * morning + rng.normal(0, 5);
    // Weight wanders slowly (a ~11-day swing of ±0.35 kg) with scale noise on top.
    const weight =
      p.weightKg + 0.35 * Math.sin((2 * Math.PI * days) / 11 + p.weightPhase) + rng.normal(0, 0.12);
    const spo2 = Math.min(100, Math.max(NORMAL_FLOOR.spo2, p.spo2 + rng.normal(0, 0.8)));
    const glucose = p.glucoseMgDl + 15 * hourBell(hour, 6.5, 1.5) + rng.normal(0, 10);
    const temperature = p.temperatureCel + 0.2 * hourBell(hour, 17, 3) + rng.normal(0, 0.15);

    const all: Record<VitalType, number> = {
      blood_pressure_systolic: systolic,
      blood_pressure_diastolic: diastolic,
      heart_rate: this.options.kind === 'pulse_oximeter' ? oximeterPulse : cuffPulse,
      body_weight: weight,
      oxygen_saturation: spo2,
      blood_glucose: glucose,
      body_temperature: temperature,
    };
    return new Map(this.types.map((type) => [type, all[type]]));
  }
}
