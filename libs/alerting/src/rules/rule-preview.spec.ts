import { VITALS, type VitalType } from '@homeward/contracts';
import { PROTOCOLS } from './protocols';
import type { PatientBaselines, RuleDefinition } from './rule-definition';
import { evaluateRules } from './rule-engine';
import { previewRule } from './rule-preview';
import type { EngineReading } from './rule-series';

const T0 = Date.parse('2026-01-05T06:00:00Z');
const HOUR = 3_600_000;
const NOW = new Date(T0 + 40 * 24 * HOUR);

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function reading(
  patientId: string,
  messageId: string,
  type: VitalType,
  value: number,
  atMs: number,
): EngineReading {
  return {
    patientId,
    deviceId: `${patientId}-device`,
    messageId,
    measuredAt: new Date(atMs),
    type,
    value,
    unit: VITALS[type].unit,
  };
}

/** About four measurements a day for `days`: blood pressure, weight, SpO2 and glucose, drifting. */
function patientReadings(patientId: string, days: number, next: () => number): EngineReading[] {
  const readings: EngineReading[] = [];
  let weight = 70 + next() * 40;
  let systolic = 115 + next() * 40;
  for (let i = 0; i < days * 4; i++) {
    const atMs = T0 + i * 6 * HOUR + Math.floor(next() * 2 * HOUR);
    const id = `m${i}`;
    systolic = Math.min(220, Math.max(90, systolic + (next() - 0.5) * 16));
    weight = Math.min(200, Math.max(40, weight + (next() - 0.45) * 0.8));
    readings.push(
      reading(patientId, id, 'blood_pressure_systolic', Math.round(systolic), atMs),
      reading(patientId, id, 'blood_pressure_diastolic', Math.round(systolic * 0.6 + next() * 10), atMs),
    );
    if (i % 4 === 0)
      readings.push(
        reading(patientId, `w${i}`, 'body_weight', Math.round(weight * 100) / 100, atMs + 60_000),
      );
    if (next() < 0.5)
      readings.push(
        reading(patientId, `o${i}`, 'oxygen_saturation', Math.round(84 + next() * 14), atMs + 120_000),
      );
    if (next() < 0.5)
      readings.push(
        reading(patientId, `g${i}`, 'blood_glucose', Math.round(50 + next() * 300), atMs + 180_000),
      );
  }
  return readings;
}

function cohort(patients: number, days: number, seed = 7): Map<string, EngineReading[]> {
  const next = random(seed);
  return new Map(Array.from({ length: patients }, (_, p) => [`p${p}`, patientReadings(`p${p}`, days, next)]));
}

/**
 * The slow, obvious way: replay readings one measurement at a time through evaluateRules with
 * everything before it as history, and simulate episodes separately.
 */
function bruteForce(
  rule: RuleDefinition,
  readings: EngineReading[],
  cooldownHours: number,
  baselines?: PatientBaselines,
): { breaches: number; alerts: number } {
  const types = new Set(rule.kind === 'any' ? rule.conditions.map((c) => c.type) : [rule.type]);
  const sorted = [...readings].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
  const measurements = new Map<string, EngineReading[]>();
  for (const r of sorted) {
    if (!types.has(r.type as VitalType)) continue;
    const key = `${r.messageId}|${r.measuredAt.getTime()}`;
    measurements.set(key, [...(measurements.get(key) ?? []), r]);
  }
  let breaches = 0;
  let alerts = 0;
  let open = false;
  let clearedAt = -Infinity;
  for (const batch of measurements.values()) {
    const at = batch[0].measuredAt.getTime();
    const history = sorted.filter((r) => r.measuredAt.getTime() < at);
    const found = evaluateRules([{ id: 'r', definition: rule }], {
      newReadings: batch,
      history,
      baselines,
      now: NOW,
    }).findings.length;
    breaches += found;
    if (found === 0) {
      if (open) clearedAt = at;
      open = false;
    } else {
      if (!open && at - clearedAt >= cooldownHours * HOUR) alerts++;
      open = true;
    }
  }
  return { breaches, alerts };
}

/** SpO2 below 88 % on two readings in a row: a persistence rule an organisation may write. */
const CONFIRMED_LOW_SPO2: RuleDefinition = {
  kind: 'threshold',
  type: 'oxygen_saturation',
  operator: '<',
  value: 88,
  consecutive: 2,
  severity: 'warning',
};

const definition = (id: string): RuleDefinition => {
  if (id === 'confirmed-low-spo2') return CONFIRMED_LOW_SPO2;
  const rule = PROTOCOLS.flatMap((p) => p.rules).find((r) => r.id === id);
  if (!rule) throw new Error(id);
  return rule.definition;
};

describe('previewRule', () => {
  const small = cohort(12, 30);
  const dryWeights = Object.fromEntries(
    [...small.entries()].map(([id, readings]) => [
      id,
      { dry_weight: readings.find((r) => r.type === 'body_weight')!.value },
    ]),
  );

  it.each<[string, RuleDefinition]>([
    [
      'a threshold',
      { kind: 'threshold', type: 'blood_pressure_systolic', operator: '>=', value: 160, severity: 'warning' },
    ],
    ['an any over one measurement', definition('hypertension.bp.grade2')],
    ['a threshold confirmed by a second reading', CONFIRMED_LOW_SPO2],
    [
      'a threshold sustained 12 hours',
      {
        kind: 'threshold',
        type: 'blood_pressure_systolic',
        operator: '>=',
        value: 150,
        sustainedMinutes: 720,
        severity: 'info',
      },
    ],
    ['a 24 h weight change in pounds', definition('heart_failure.weight.day')],
    ['a 7-day weight change', definition('heart_failure.weight.week')],
    ['a change from dry weight, twice in a row', definition('heart_failure.weight.dry')],
    ['a 7-day home blood pressure average', definition('hypertension.bp.home-average')],
    ['a glucose average', definition('diabetes.glucose.average')],
  ])('counts breaches and alerts of %s as a brute-force replay does', (_name, rule) => {
    const result = previewRule(rule, small, { cooldownHours: 6, baselines: dryWeights });
    const expected = [...small.entries()].map(([patientId, readings]) => ({
      patientId,
      ...bruteForce(rule, readings, 6, dryWeights[patientId]),
    }));
    expect(result.byPatient).toEqual(expected);
    expect(result.breaches).toBe(expected.reduce((sum, p) => sum + p.breaches, 0));
    expect(result.alerts).toBe(expected.reduce((sum, p) => sum + p.alerts, 0));
    // The data is built so every rule breaches somewhere; equal zeros would prove nothing.
    expect(result.breaches).toBeGreaterThan(0);
  });

  describe('episodes and cool-down', () => {
    const rule: RuleDefinition = {
      kind: 'threshold',
      type: 'heart_rate',
      operator: '>=',
      value: 111,
      severity: 'warning',
    };
    const series = (...points: Array<[hours: number, bpm: number]>) =>
      new Map([['p', points.map(([h, v], i) => reading('p', `m${i}`, 'heart_rate', v, T0 + h * HOUR))]]);

    it('raises one alert for a run of breaches', () => {
      expect(previewRule(rule, series([0, 120], [1, 125], [2, 118]))).toMatchObject({
        breaches: 3,
        alerts: 1,
      });
    });

    it('re-opens silently a breach within the cool-down after it clears, and alerts again after it', () => {
      expect(previewRule(rule, series([0, 120], [1, 80], [6.9, 120]))).toMatchObject({
        breaches: 2,
        alerts: 1,
      });
      expect(previewRule(rule, series([0, 120], [1, 80], [7, 120]))).toMatchObject({
        breaches: 2,
        alerts: 2,
      });
      expect(previewRule(rule, series([0, 120], [1, 80], [2, 120]), { cooldownHours: 0 })).toMatchObject({
        alerts: 2,
      });
    });

    it('takes a plain object of patients too, and reports each patient', () => {
      const result = previewRule(rule, { a: [reading('a', 'm', 'heart_rate', 130, T0)], b: [] });
      expect(result.byPatient).toEqual([
        { patientId: 'a', breaches: 1, alerts: 1 },
        { patientId: 'b', breaches: 0, alerts: 0 },
      ]);
    });
  });

  it('counts each gap of a missed rule once, including one still open at now', () => {
    const missed = definition('heart_failure.weight.missed');
    const weights = [0, 24, 80, 100, 160].map((h, i) =>
      reading('p', `w${i}`, 'body_weight', 80, T0 + h * HOUR),
    );
    expect(previewRule(missed, new Map([['p', weights]]))).toMatchObject({ breaches: 2, alerts: 2 });
    expect(previewRule(missed, new Map([['p', weights]]), { now: new Date(T0 + 260 * HOUR) })).toMatchObject({
      breaches: 3,
      alerts: 3,
    });
  });

  // How fast it answers for 1,000 patients x 30 days is measured by `npm run bench:micro`.
  it('answers for every patient of a 1,000-patient cohort, and its totals are the sum of theirs', () => {
    const large = cohort(1000, 30, 11);
    const readings = [...large.values()].reduce((sum, r) => sum + r.length, 0);
    expect(readings).toBeGreaterThan(1000 * 30 * 4);
    for (const id of ['hypertension.bp.home-average', 'heart_failure.weight.week', 'confirmed-low-spo2']) {
      const result = previewRule(definition(id), large);
      expect(result.byPatient).toHaveLength(1000);
      expect(result.breaches).toBe(result.byPatient.reduce((sum, p) => sum + p.breaches, 0));
      expect(result.alerts).toBe(result.byPatient.reduce((sum, p) => sum + p.alerts, 0));
      expect(result.alerts).toBeLessThanOrEqual(result.breaches);
    }
  });
});
