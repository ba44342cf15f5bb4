import type { VitalType } from '@homeward/contracts';
import { createSeededRandom, hashSeed, type SeededRandom } from './seeded-random';

/**
 * Patients with a chronic condition and a daily rhythm. Everything here is a pure function of
 * the patient's traits, the time and a PRNG, so a seed replays the same patients.
 */
export const CONDITIONS = ['healthy', 'hypertension', 'heart_failure', 'copd', 'diabetes'] as const;
export type Condition = (typeof CONDITIONS)[number];

export function isCondition(value: string): value is Condition {
  return (CONDITIONS as readonly string[]).includes(value);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A patient's stable traits under a condition, in catalogue units. */
export interface ConditionTraits {
  condition: Condition;
  systolic: number;
  diastolic: number;
  heartRate: number;
  /** Dry weight (heart failure) or usual weight. */
  weightKg: number;
  spo2: number;
  /** Fasting glucose. */
  fastingGlucose: number;
  /** Rise of glucose an hour after a meal. */
  mealRise: number;
  temperatureCel: number;
  /** Heart failure: kg gained per day during a decompensation episode (0.5–1). */
  episodeGainPerDay: number;
  /** Seed text for the episode calendar. */
  episodeSeed: string;
}

export function createConditionTraits(
  patientId: string,
  seed: string,
  condition: Condition,
): ConditionTraits {
  const rng = createSeededRandom(`${seed}|condition|${condition}|${patientId}`);
  const common = {
    condition,
    weightKg: rng.uniform(55, 110),
    temperatureCel: rng.uniform(36.4, 36.9),
    episodeGainPerDay: rng.uniform(0.5, 1),
    episodeSeed: `${seed}|episodes|${patientId}`,
  };
  switch (condition) {
    case 'healthy':
      return {
        ...common,
        systolic: rng.uniform(108, 124),
        diastolic: rng.uniform(68, 80),
        heartRate: rng.uniform(58, 76),
        spo2: rng.uniform(96.5, 98.5),
        fastingGlucose: rng.uniform(80, 98),
        mealRise: rng.uniform(20, 40),
      };
    case 'hypertension':
      return {
        ...common,
        systolic: rng.uniform(142, 162),
        diastolic: rng.uniform(88, 98),
        heartRate: rng.uniform(64, 82),
        spo2: rng.uniform(95.5, 98),
        fastingGlucose: rng.uniform(85, 105),
        mealRise: rng.uniform(25, 45),
      };
    case 'heart_failure':
      return {
        ...common,
        systolic: rng.uniform(105, 130),
        diastolic: rng.uniform(62, 78),
        heartRate: rng.uniform(70, 88),
        spo2: rng.uniform(94, 97),
        fastingGlucose: rng.uniform(85, 110),
        mealRise: rng.uniform(25, 45),
      };
    case 'copd':
      return {
        ...common,
        systolic: rng.uniform(120, 140),
        diastolic: rng.uniform(72, 86),
        heartRate: rng.uniform(74, 92),
        spo2: rng.uniform(91.5, 94),
        fastingGlucose: rng.uniform(85, 105),
        mealRise: rng.uniform(25, 45),
      };
    case 'diabetes':
      return {
        ...common,
        systolic: rng.uniform(125, 145),
        diastolic: rng.uniform(78, 90),
        heartRate: rng.uniform(66, 84),
        spo2: rng.uniform(95.5, 98),
        fastingGlucose: rng.uniform(115, 165),
        mealRise: rng.uniform(70, 120),
      };
  }
}

/** A bell curve around `peak` hours, 1 at the peak. */
export function hourBell(hour: number, peak: number, width: number): number {
  // Wrap around midnight, so 23:30 is close to a 00:30 peak.
  const distance = Math.min(Math.abs(hour - peak), 24 - Math.abs(hour - peak));
  return Math.exp(-(distance ** 2) / (2 * width ** 2));
}

/**
 * Relative change of blood pressure over the day: a nocturnal dip of about 12 % around 03:00
 * and a morning surge peaking about 08:00 (stronger in hypertension).
 */
export function bloodPressureRhythm(hour: number, condition: Condition): number {
  const surge = condition === 'hypertension' ? 0.11 : 0.06;
  return -0.12 * hourBell(hour, 3, 2.5) + surge * hourBell(hour, 8, 1.5);
}

/** Glucose above fasting at `hour`: a rise about an hour after each meal (07:30, 12:30, 18:30). */
export function mealGlucose(hour: number, rise: number): number {
  return rise * (hourBell(hour, 8.5, 0.9) + 0.9 * hourBell(hour, 13.5, 0.9) + hourBell(hour, 19.5, 0.9));
}

/** Episodes recur in cycles of this many days, one per cycle, starting at a seeded day. */
export const EPISODE_CYCLE_DAYS = 14;

/**
 * Where `at` falls in the patient's episode calendar: days since the current cycle's episode
 * started (negative before it), from a seeded start day in each cycle.
 */
export function daysIntoEpisode(episodeSeed: string, at: Date): number {
  const day = at.getTime() / DAY_MS;
  const cycle = Math.floor(day / EPISODE_CYCLE_DAYS);
  const startDay = hashSeed(`${episodeSeed}|${cycle}`) % (EPISODE_CYCLE_DAYS - 7);
  return day - cycle * EPISODE_CYCLE_DAYS - startDay;
}

/** Heart failure decompensation: fluid gain for 5 days, then 3 days of diuresis back to dry weight. */
export const HF_GAIN_DAYS = 5;
export const HF_RECOVERY_DAYS = 3;

export function heartFailureFluidKg(traits: ConditionTraits, at: Date): number {
  const t = daysIntoEpisode(traits.episodeSeed, at);
  if (t <= 0 || t >= HF_GAIN_DAYS + HF_RECOVERY_DAYS) return 0;
  const peak = traits.episodeGainPerDay * HF_GAIN_DAYS;
  if (t <= HF_GAIN_DAYS) return traits.episodeGainPerDay * t;
  return peak * (1 - (t - HF_GAIN_DAYS) / HF_RECOVERY_DAYS);
}

/** COPD exacerbation: 2 days in each cycle; SpO2 sinks by up to 6 points, worst at night. */
export const COPD_EPISODE_DAYS = 2;

export function copdDesaturation(traits: ConditionTraits, at: Date, hour: number): number {
  const t = daysIntoEpisode(traits.episodeSeed, at);
  const night = 1 * hourBell(hour, 4, 3);
  if (t <= 0 || t >= COPD_EPISODE_DAYS) return night;
  // Rises to its depth within half a day and stays there.
  return night + 6 * Math.min(1, t / 0.5);
}

/**
 * One measurement's true values (before the device rounds and converts them). Every draw happens
 * on every call, in a fixed order, so one type never shifts another's random stream.
 */
export function physiologicalValues(
  traits: ConditionTraits,
  at: Date,
  rng: SeededRandom,
): Record<VitalType, number> {
  const hour = at.getHours() + at.getMinutes() / 60;
  const bp = 1 + bloodPressureRhythm(hour, traits.condition);
  const noise = {
    systolic: rng.normal(0, 5),
    diastolic: rng.normal(0, 3.5),
    heartRate: rng.normal(0, 3.5),
    weight: rng.normal(0, 0.15),
    spo2: rng.normal(0, 0.7),
    glucose: rng.normal(0, traits.condition === 'diabetes' ? 14 : 6),
    temperature: rng.normal(0, 0.12),
  };
  let fluidKg = 0;
  let desaturation = 0;
  if (traits.condition === 'heart_failure') fluidKg = heartFailureFluidKg(traits, at);
  if (traits.condition === 'copd') desaturation = copdDesaturation(traits, at, hour);
  const systolic = traits.systolic * bp + noise.systolic;
  const diastolic = Math.min(systolic - 25, traits.diastolic * bp + noise.diastolic);
  return {
    blood_pressure_systolic: systolic,
    blood_pressure_diastolic: diastolic,
    // Pulse follows the rhythm; fluid overload and desaturation raise it.
    heart_rate: traits.heartRate * (1 + 0.6 * (bp - 1)) + 2 * fluidKg + 1.5 * desaturation + noise.heartRate,
    body_weight: traits.weightKg + fluidKg + noise.weight,
    oxygen_saturation: Math.min(100, traits.spo2 - desaturation - 0.3 * fluidKg + noise.spo2),
    blood_glucose: Math.max(
      40,
      // Dawn effect in diabetes: fasting glucose is highest early in the morning.
      traits.fastingGlucose * (1 + (traits.condition === 'diabetes' ? 0.1 : 0.03) * hourBell(hour, 6, 1.5)) +
        mealGlucose(hour, traits.mealRise) +
        noise.glucose,
    ),
    body_temperature:
      traits.temperatureCel + 0.25 * hourBell(hour, 17, 3) - 0.2 * hourBell(hour, 4, 2.5) + noise.temperature,
  };
}
