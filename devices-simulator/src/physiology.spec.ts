import {
  CONDITIONS,
  EPISODE_CYCLE_DAYS,
  HF_GAIN_DAYS,
  bloodPressureRhythm,
  createConditionTraits,
  daysIntoEpisode,
  heartFailureFluidKg,
  physiologicalValues,
  type Condition,
} from './physiology';
import { createSeededRandom } from './seeded-random';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Local midnight, so hours below are the patient's local hours whatever TZ the test runs in. */
const START = new Date(2026, 10, 1, 0, 0, 0);

function at(day: number, hour: number): Date {
  return new Date(START.getTime() + day * DAY_MS + hour * HOUR_MS);
}

function series(condition: Condition, patient: string, hour: number, days: number) {
  const traits = createConditionTraits(patient, 'spec', condition);
  const rng = createSeededRandom(`spec|${patient}`);
  return Array.from({ length: days }, (_, d) => physiologicalValues(traits, at(d, hour), rng));
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('physiology', () => {
  it('gives hypertension a morning surge: systolic at 08:00 above 03:00 on average over many days', () => {
    const morning = series('hypertension', 'p1', 8, 60).map((v) => v.blood_pressure_systolic);
    const night = series('hypertension', 'p1', 3, 60).map((v) => v.blood_pressure_systolic);
    expect(mean(morning) - mean(night)).toBeGreaterThan(20);
    expect(mean(morning)).toBeGreaterThan(150);
  });

  it('dips blood pressure at night by about a tenth (a dipper) for every condition', () => {
    for (const condition of CONDITIONS) {
      expect(bloodPressureRhythm(3, condition)).toBeLessThan(-0.08);
      expect(bloodPressureRhythm(8, condition)).toBeGreaterThan(0.03);
    }
  });

  it('keeps a healthy patient normotensive with normal glucose and saturation', () => {
    const values = [8, 13, 20].flatMap((hour) => series('healthy', 'p2', hour, 30));
    expect(mean(values.map((v) => v.blood_pressure_systolic))).toBeLessThan(130);
    expect(Math.min(...values.map((v) => v.oxygen_saturation))).toBeGreaterThan(94);
    expect(Math.max(...values.map((v) => v.blood_glucose))).toBeLessThan(180);
  });

  it('makes heart failure gain weight during an episode faster than the 2.3 kg / 7 days rule', () => {
    const traits = createConditionTraits('p3', 'spec', 'heart_failure');
    expect(traits.episodeGainPerDay).toBeGreaterThanOrEqual(0.5);
    expect(traits.episodeGainPerDay).toBeLessThanOrEqual(1);
    // The first episode's start, exactly.
    let day = 0;
    while (
      daysIntoEpisode(traits.episodeSeed, at(day, 0)) < 0 ||
      daysIntoEpisode(traits.episodeSeed, at(day, 0)) > 1
    )
      day += 1;
    const start = at(day, 0).getTime() - daysIntoEpisode(traits.episodeSeed, at(day, 0)) * DAY_MS;
    const fluid = (days: number): number => heartFailureFluidKg(traits, new Date(start + days * DAY_MS));
    expect(fluid(0)).toBe(0);
    // The "more than 2.3 kg within 7 days" rule breaks within the episode's gain phase.
    expect(fluid(HF_GAIN_DAYS)).toBeGreaterThan(2.3);
    expect(fluid(1) - fluid(0)).toBeCloseTo(traits.episodeGainPerDay, 9);
    // Patients gaining more than 0.9 kg a day also break the 24-hour rule.
    const fastGainers = Array.from({ length: 40 }, (_, i) =>
      createConditionTraits(`hf-${i}`, 'spec', 'heart_failure'),
    ).filter((t) => t.episodeGainPerDay > 0.9);
    expect(fastGainers.length).toBeGreaterThan(0);
    day = Math.ceil(start / DAY_MS - START.getTime() / DAY_MS);
    // ...and the scale shows it, despite its noise: daily morning weights rise over the episode.
    const rng = createSeededRandom('spec|scale');
    const weights = Array.from(
      { length: HF_GAIN_DAYS },
      (_, d) => physiologicalValues(traits, at(day + d, 7), rng).body_weight,
    );
    expect(weights[HF_GAIN_DAYS - 1] - weights[0]).toBeGreaterThan(1.5);
    // Dry weight again after the episode and its recovery.
    expect(heartFailureFluidKg(traits, at(day + 9, 7))).toBe(0);
  });

  it('gives COPD readings below 90 % during exacerbations and not outside them', () => {
    const traits = createConditionTraits('p4', 'spec', 'copd');
    const rng = createSeededRandom('spec|copd');
    const during: number[] = [];
    const outside: number[] = [];
    for (let hour = 0; hour < 24 * EPISODE_CYCLE_DAYS * 4; hour += 1) {
      const when = new Date(START.getTime() + hour * HOUR_MS);
      const t = daysIntoEpisode(traits.episodeSeed, when);
      const spo2 = physiologicalValues(traits, when, rng).oxygen_saturation;
      if (t > 0.5 && t < 2) during.push(spo2);
      else if (t < -1 || t > 3) outside.push(spo2);
    }
    expect(during.length).toBeGreaterThan(50);
    expect(during.filter((v) => v < 90).length / during.length).toBeGreaterThan(0.8);
    expect(mean(outside)).toBeGreaterThan(90);
  });

  it('swings diabetic glucose from fasting values to post-meal peaks', () => {
    const fasting = series('diabetes', 'p5', 6.5, 30).map((v) => v.blood_glucose);
    const afterLunch = series('diabetes', 'p5', 13.5, 30).map((v) => v.blood_glucose);
    expect(mean(fasting)).toBeGreaterThan(110);
    expect(mean(fasting)).toBeLessThan(200);
    expect(mean(afterLunch) - mean(fasting)).toBeGreaterThan(40);
    expect(Math.max(...afterLunch)).toBeGreaterThan(200);
  });

  it('is reproducible: same seed and patient give the same traits and values', () => {
    expect(series('copd', 'p6', 9, 5)).toEqual(series('copd', 'p6', 9, 5));
    expect(createConditionTraits('p6', 'spec', 'copd')).not.toEqual(
      createConditionTraits('p6', 'other', 'copd'),
    );
  });
});
