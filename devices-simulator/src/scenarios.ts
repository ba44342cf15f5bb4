import type { DeviceKind, VitalType } from '@homeward/contracts';
import { vitalsMeasuredBy } from './device-kinds';

/**
 * How a scenario bends one device's readings. Values are in catalogue units, applied before
 * the device converts to its own unit; reading numbers count from 1 per device.
 */
export type ScenarioEffect =
  /** Replace values exactly (no noise) on readings `from`..`to` (inclusive; `to` omitted = forever). */
  | { kind: 'set'; from: number; to?: number; values: Partial<Record<VitalType, number>> }
  /** Move `type` linearly from its normal value to `target` over `over` readings from `from`, then hold. */
  | { kind: 'ramp'; type: VitalType; from: number; over: number; target: number }
  /** Add `perDay` × days since the simulator started. */
  | { kind: 'trend'; type: VitalType; perDay: number }
  /**
   * Add a recurring episode that follows the wall clock (see `episodeOffset`): bounded by
   * `rise`, and continuous across a restart of the simulator.
   */
  | {
      kind: 'episode';
      type: VitalType;
      base: number;
      rise: number;
      periodMinutes: number;
      riseFraction: number;
    }
  /**
   * Replace values exactly on readings measured in the first `windowSeconds` of every
   * `periodMinutes` of the wall clock (counted from the Unix epoch, so a restart carries on).
   */
  | {
      kind: 'recurring';
      periodMinutes: number;
      windowSeconds: number;
      values: Partial<Record<VitalType, number>>;
    }
  /**
   * The device answers the platform's `remeasure` command only after `seconds`, measuring
   * nothing meanwhile (the patient sits down and repeats it later); no effect on values.
   */
  | { kind: 'remeasure-delay'; seconds: number };

export interface ScenarioDefinition {
  description: string;
  /**
   * The device it acts on: among patients with a device measuring `measures` (in the order
   * they first appear), the `patient`-th one, modulo their number; that patient's first such device.
   */
  target?: { patient: number; measures: VitalType };
  effects: readonly ScenarioEffect[];
}

/** Every scenario, one entry each. Patients differ so that combined scenarios stay readable. */
export const SCENARIOS = {
  none: { description: 'Normal readings only.', effects: [] },
  'hypertensive-crisis': {
    description:
      "The first patient's BP cuff sends 186/124 on its second reading and on the re-measurement the platform asks for (critical BP alert).",
    target: { patient: 0, measures: 'blood_pressure_systolic' },
    effects: [
      // The third reading is the re-measurement (taken at once on the `remeasure` command): it
      // stays at crisis level so the demo's alert is confirmed and opens as critical.
      {
        kind: 'set',
        from: 2,
        to: 3,
        values: { blood_pressure_systolic: 186, blood_pressure_diastolic: 124 },
      },
    ],
  },
  hypoxia: {
    description: "The second patient's SpO2 falls to 86 % over readings 2-4 and stays there.",
    target: { patient: 1, measures: 'oxygen_saturation' },
    effects: [{ kind: 'ramp', type: 'oxygen_saturation', from: 2, over: 3, target: 86 }],
  },
  'weight-gain': {
    description: "The third patient's scale gains 0.8 kg/day (fluid retention in heart failure).",
    target: { patient: 2, measures: 'body_weight' },
    effects: [{ kind: 'trend', type: 'body_weight', perDay: 0.8 }],
  },
  'heart-failure-weight-gain': {
    description:
      "The third patient's scale reads 1.2 kg above their usual (dry) weight, plus a fluid-retention episode every 20 minutes in compressed time: 2 kg more over 12 minutes, then back over 8. Against a history at dry weight, the heart_failure protocol raises a weight-gain alert at the first weighing (the demo puts that patient on it).",
    target: { patient: 2, measures: 'body_weight' },
    effects: [
      { kind: 'episode', type: 'body_weight', base: 1.2, rise: 2, periodMinutes: 20, riseFraction: 0.6 },
    ],
  },
  'remeasure-in-progress': {
    description:
      "The second patient's BP cuff reads 184/112 once in the first 20 s of every 4 minutes (wall clock) and answers the platform's re-measure request only after 200 s, in range: the crisis alert waits for its re-measurement (pending_confirmation, within ALERT_CONFIRM_WITHIN_SECONDS' default 300 s) most of the time, then closes as not confirmed; the next cycle raises a new one.",
    target: { patient: 1, measures: 'blood_pressure_systolic' },
    effects: [
      {
        kind: 'recurring',
        periodMinutes: 4,
        // Wider than the longest jittered interval (15 s + 15 %): every cycle gets a reading.
        windowSeconds: 20,
        values: { blood_pressure_systolic: 184, blood_pressure_diastolic: 112 },
      },
      { kind: 'remeasure-delay', seconds: 200 },
    ],
  },
} satisfies Record<string, ScenarioDefinition>;

/** The delay before a device answers a `remeasure` command, from its effects (none: at once). */
export function remeasureDelayMs(effects: readonly ScenarioEffect[] | undefined): number | undefined {
  const delay = effects?.find((effect) => effect.kind === 'remeasure-delay');
  return delay?.kind === 'remeasure-delay' ? delay.seconds * 1000 : undefined;
}

/** Whether `at` falls in the first `windowSeconds` of a `periodMinutes` cycle of the wall clock. */
export function inRecurringWindow(at: Date, periodMinutes: number, windowSeconds: number): boolean {
  const periodMs = periodMinutes * 60_000;
  return ((at.getTime() % periodMs) + periodMs) % periodMs < windowSeconds * 1000;
}

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function isScenarioName(value: string): value is ScenarioName {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, value);
}

export interface SimulatedDeviceRef {
  id: string;
  kind: DeviceKind;
  patientId: string;
}

export interface ScenarioAssignment {
  scenario: ScenarioName;
  /** Undefined when no device measures what the scenario needs. */
  deviceId?: string;
  patientId?: string;
  effects: readonly ScenarioEffect[];
}

/** Chooses the device each scenario acts on. 'none' assigns nothing. */
export function assignScenarios(
  names: readonly ScenarioName[],
  devices: readonly SimulatedDeviceRef[],
): ScenarioAssignment[] {
  const assignments: ScenarioAssignment[] = [];
  for (const name of names) {
    const definition: ScenarioDefinition = SCENARIOS[name];
    const target = definition.target;
    if (!target) continue;
    const candidates = devices.filter((d) => vitalsMeasuredBy(d.kind).includes(target.measures));
    const patients = [...new Set(candidates.map((d) => d.patientId))];
    if (patients.length === 0) {
      assignments.push({ scenario: name, effects: definition.effects });
      continue;
    }
    const patientId = patients[target.patient % patients.length];
    const device = candidates.find((d) => d.patientId === patientId);
    assignments.push({ scenario: name, deviceId: device?.id, patientId, effects: definition.effects });
  }
  return assignments;
}

/**
 * How far an `episode` effect lifts its value at `at`: `base` at the start of each cycle, a
 * smooth (half-cosine) rise by `rise` over the first `riseFraction` of the cycle, then a smooth
 * fall back to `base`. Cycles count from the Unix epoch, not from the simulator's start or a
 * reading counter, so the value is bounded by [base, base + rise] and a restarted simulator
 * carries on where it was.
 */
export function episodeOffset(
  at: Date,
  episode: { base: number; rise: number; periodMinutes: number; riseFraction: number },
): number {
  const periodMs = episode.periodMinutes * 60_000;
  const phase = (((at.getTime() % periodMs) + periodMs) % periodMs) / periodMs;
  const progress =
    phase < episode.riseFraction
      ? phase / episode.riseFraction
      : 1 + (phase - episode.riseFraction) / (1 - episode.riseFraction);
  return episode.base + (episode.rise * (1 - Math.cos(Math.PI * progress))) / 2;
}

/**
 * Applies scenario effects to one reading's values (catalogue units), in place.
 * Only types already present are touched: effects never add a reading the device cannot take.
 */
export function applyScenarioEffects(
  values: Map<VitalType, number>,
  effects: readonly ScenarioEffect[],
  readingNumber: number,
  daysSinceStart: number,
  at: Date,
): void {
  for (const effect of effects) {
    switch (effect.kind) {
      case 'set': {
        if (readingNumber < effect.from || (effect.to !== undefined && readingNumber > effect.to)) break;
        for (const [type, value] of Object.entries(effect.values) as [VitalType, number][]) {
          if (values.has(type)) values.set(type, value);
        }
        break;
      }
      case 'ramp': {
        const current = values.get(effect.type);
        if (current === undefined || readingNumber < effect.from) break;
        const progress = Math.min(1, (readingNumber - effect.from + 1) / effect.over);
        values.set(effect.type, current + (effect.target - current) * progress);
        break;
      }
      case 'episode': {
        const current = values.get(effect.type);
        if (current === undefined) break;
        values.set(effect.type, current + episodeOffset(at, effect));
        break;
      }
      case 'recurring': {
        if (!inRecurringWindow(at, effect.periodMinutes, effect.windowSeconds)) break;
        for (const [type, value] of Object.entries(effect.values) as [VitalType, number][]) {
          if (values.has(type)) values.set(type, value);
        }
        break;
      }
      case 'remeasure-delay':
        break;
      case 'trend': {
        const current = values.get(effect.type);
        if (current === undefined) break;
        values.set(effect.type, current + effect.perDay * daysSinceStart);
        break;
      }
    }
  }
}
