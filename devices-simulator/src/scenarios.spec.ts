import { toCanonicalUnit, type DeviceMessageV1, type VitalType } from '@homeward/contracts';
import { createPatientProfile } from './patient-profile';
import { ReadingGenerator } from './reading-generator';
import {
  SCENARIOS,
  SCENARIO_NAMES,
  applyScenarioEffects,
  assignScenarios,
  episodeOffset,
  remeasureDelayMs,
  type ScenarioEffect,
  type ScenarioName,
  type SimulatedDeviceRef,
} from './scenarios';

const START = new Date('2026-11-25T10:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const DEVICES: SimulatedDeviceRef[] = [
  { id: 'p1-bp', kind: 'bp_cuff', patientId: 'p1' },
  { id: 'p1-scale', kind: 'scale', patientId: 'p1' },
  { id: 'p1-ox', kind: 'pulse_oximeter', patientId: 'p1' },
  { id: 'p2-bp', kind: 'bp_cuff', patientId: 'p2' },
  { id: 'p2-scale', kind: 'scale', patientId: 'p2' },
  { id: 'p2-ox', kind: 'pulse_oximeter', patientId: 'p2' },
  { id: 'p3-bp', kind: 'bp_cuff', patientId: 'p3' },
  { id: 'p3-scale', kind: 'scale', patientId: 'p3' },
  { id: 'p3-ox', kind: 'pulse_oximeter', patientId: 'p3' },
];

function effectsFor(
  name: ScenarioName,
  devices = DEVICES,
): { deviceId?: string; effects: readonly ScenarioEffect[] } {
  const [assignment] = assignScenarios([name], devices);
  if (!assignment) throw new Error(`${name} assigned nothing`);
  return assignment;
}

function generatorFor(
  device: SimulatedDeviceRef,
  effects: readonly ScenarioEffect[],
  seed = 'spec',
): ReadingGenerator {
  return new ReadingGenerator({
    deviceId: device.id,
    kind: device.kind,
    profile: createPatientProfile(device.patientId, seed),
    seed,
    startedAt: START,
    effects,
  });
}

function value(message: DeviceMessageV1, type: VitalType): number {
  const reading = message.readings.find((r) => r.type === type);
  if (!reading) throw new Error(`no ${type}`);
  const canonical = toCanonicalUnit(type, reading.value, reading.unit);
  if (canonical === undefined) throw new Error(`bad unit ${reading.unit}`);
  return canonical;
}

describe('scenario table', () => {
  it('offers the documented scenarios, each described', () => {
    expect(SCENARIO_NAMES).toEqual(
      expect.arrayContaining(['none', 'hypertensive-crisis', 'hypoxia', 'weight-gain']),
    );
    for (const name of SCENARIO_NAMES) expect(SCENARIOS[name].description.length).toBeGreaterThan(10);
  });

  it("'none' assigns nothing", () => {
    expect(assignScenarios(['none'], DEVICES)).toEqual([]);
  });
});

describe('hypertensive-crisis', () => {
  it("targets the first patient's BP cuff", () => {
    expect(effectsFor('hypertensive-crisis').deviceId).toBe('p1-bp');
  });

  it.each(['spec', 'other-seed', 'third'])(
    'sends a critical reading (systolic >= 180, diastolic >= 120) on the second BP reading and its re-measurement only (seed %s)',
    (seed) => {
      const { effects } = effectsFor('hypertensive-crisis');
      const gen = generatorFor(DEVICES[0], effects, seed);
      const messages = [0, 1, 2, 3].map((i) => gen.next(new Date(START.getTime() + i * 15_000)));
      const [first, second, third, fourth] = messages as [
        DeviceMessageV1,
        DeviceMessageV1,
        DeviceMessageV1,
        DeviceMessageV1,
      ];
      for (const crisis of [second, third]) {
        expect(value(crisis, 'blood_pressure_systolic')).toBe(186);
        expect(value(crisis, 'blood_pressure_diastolic')).toBe(124);
      }
      for (const normal of [first, fourth]) {
        expect(value(normal, 'blood_pressure_systolic')).toBeLessThan(180);
        expect(value(normal, 'blood_pressure_diastolic')).toBeLessThan(120);
      }
    },
  );
});

describe('hypoxia', () => {
  it("drives the second patient's SpO2 down to 86 and holds it there", () => {
    const { deviceId, effects } = effectsFor('hypoxia');
    expect(deviceId).toBe('p2-ox');
    const gen = generatorFor(DEVICES[5], effects);
    const spo2 = Array.from({ length: 8 }, (_, i) =>
      value(gen.next(new Date(START.getTime() + i * 15_000)), 'oxygen_saturation'),
    );
    expect(spo2[0]).toBeGreaterThanOrEqual(93);
    expect(spo2[1]).toBeLessThan(spo2[0]);
    expect(spo2.slice(3)).toEqual([86, 86, 86, 86, 86]);
  });

  it('falls back to the only patient that has an oximeter', () => {
    const devices: SimulatedDeviceRef[] = [
      { id: 'a-bp', kind: 'bp_cuff', patientId: 'a' },
      { id: 'b-hub', kind: 'hub', patientId: 'b' },
    ];
    expect(effectsFor('hypoxia', devices).deviceId).toBe('b-hub');
  });
});

describe('weight-gain', () => {
  it("adds 0.8 kg per day to the third patient's scale", () => {
    const { deviceId, effects } = effectsFor('weight-gain');
    expect(deviceId).toBe('p3-scale');
    const device = DEVICES[7];
    const withGain = generatorFor(device, effects);
    const without = generatorFor(device, []);
    for (const day of [0, 1, 2, 5]) {
      const at = new Date(START.getTime() + day * DAY);
      const gained = value(withGain.next(at), 'body_weight') - value(without.next(at), 'body_weight');
      // Both round to the scale's 0.1 (kg or lb), so allow one step of rounding.
      expect(gained).toBeCloseTo(0.8 * day, 0);
      expect(Math.abs(gained - 0.8 * day)).toBeLessThan(0.1);
    }
  });
});

describe('heart-failure-weight-gain', () => {
  const MINUTE = 60_000;
  const episode = { base: 1.2, rise: 2, periodMinutes: 20, riseFraction: 0.6 };
  // A cycle starts on a multiple of 20 minutes since the epoch.
  const cycleStart = new Date(Math.floor(START.getTime() / (20 * MINUTE)) * 20 * MINUTE);

  function gainedAt(generators: { withGain: ReadingGenerator; without: ReadingGenerator }, at: Date): number {
    return (
      value(generators.withGain.next(at), 'body_weight') - value(generators.without.next(at), 'body_weight')
    );
  }

  it("lands on the third patient's scale as 1.2 kg above usual plus a 2 kg episode every 20 minutes", () => {
    const { deviceId, effects } = effectsFor('heart-failure-weight-gain');
    expect(deviceId).toBe('p3-scale');
    expect(effects).toEqual([{ kind: 'episode', type: 'body_weight', ...episode }]);
  });

  it('stays within 1.2 and 3.2 kg above the usual weight for a whole day of 15-second weighings', () => {
    const offsets = Array.from({ length: (24 * 60 * 60) / 15 }, (_, i) =>
      episodeOffset(new Date(START.getTime() + i * 15_000), episode),
    );
    // Always more than the 24-hour rule's 0.9 kg above a history at dry weight.
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(1.2);
    expect(Math.min(...offsets)).toBeLessThan(1.21);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(3.2);
    expect(Math.max(...offsets)).toBeGreaterThan(3.19);
  });

  it('moves less than 0.2 kg between weighings 15 s apart, across the end of a cycle too', () => {
    for (let ms = -2 * MINUTE; ms < 22 * MINUTE; ms += 15_000) {
      const before = episodeOffset(new Date(cycleStart.getTime() + ms), episode);
      const after = episodeOffset(new Date(cycleStart.getTime() + ms + 15_000), episode);
      expect(Math.abs(after - before)).toBeLessThan(0.2);
    }
  });

  it('rises by 2 kg from the start of a cycle to its peak 12 minutes in', () => {
    expect(episodeOffset(cycleStart, episode)).toBeCloseTo(1.2, 6);
    expect(episodeOffset(new Date(cycleStart.getTime() + 12 * MINUTE), episode)).toBeCloseTo(3.2, 6);
  });

  it('carries on where it was after a restart: a new generator gives the same gain at the same time', () => {
    const { effects } = effectsFor('heart-failure-weight-gain');
    const device = DEVICES[7];
    const first = { withGain: generatorFor(device, effects), without: generatorFor(device, []) };
    const restarted = { withGain: generatorFor(device, effects), without: generatorFor(device, []) };
    // The first run weighs every 15 s for nine minutes; the restarted one starts at minute 9.
    let last = 0;
    for (let i = 0; i < 36; i += 1) last = gainedAt(first, new Date(cycleStart.getTime() + i * 15_000));
    const atRestart = new Date(cycleStart.getTime() + 36 * 15_000);
    const continued = gainedAt(first, atRestart);
    const afterRestart = gainedAt(restarted, atRestart);
    // Both round to the scale's 0.1, so allow one step of rounding.
    expect(Math.abs(afterRestart - continued)).toBeLessThan(0.11);
    expect(afterRestart).toBeGreaterThan(last - 0.11);
    expect(afterRestart).toBeLessThanOrEqual(3.3);
  });
});

describe('assignScenarios', () => {
  it('puts combined scenarios on different patients when there are enough', () => {
    const assignments = assignScenarios(['hypertensive-crisis', 'hypoxia', 'weight-gain'], DEVICES);
    expect(new Set(assignments.map((a) => a.patientId)).size).toBe(3);
  });

  it('wraps around with a single patient', () => {
    const one = DEVICES.filter((d) => d.patientId === 'p1');
    expect(
      assignScenarios(['hypertensive-crisis', 'hypoxia', 'weight-gain'], one).map((a) => a.deviceId),
    ).toEqual(['p1-bp', 'p1-ox', 'p1-scale']);
  });

  it('reports a scenario without a device that can carry it', () => {
    const [assignment] = assignScenarios(['weight-gain'], [{ id: 't', kind: 'thermometer', patientId: 'x' }]);
    expect(assignment?.deviceId).toBeUndefined();
  });
});

describe('applyScenarioEffects', () => {
  it('never adds a reading type the device does not measure', () => {
    const values = new Map<VitalType, number>([['body_weight', 80]]);
    applyScenarioEffects(values, SCENARIOS['hypertensive-crisis'].effects, 2, 0, START);
    expect([...values.keys()]).toEqual(['body_weight']);
  });
});

describe('remeasure-in-progress', () => {
  const { effects } = SCENARIOS['remeasure-in-progress'];
  const bp = (at: Date): Map<VitalType, number> => {
    const values = new Map<VitalType, number>([
      ['blood_pressure_systolic', 128],
      ['blood_pressure_diastolic', 80],
    ]);
    applyScenarioEffects(values, effects, 5, 0, at);
    return values;
  };

  it('reads a crisis at the start of every 4-minute cycle of the wall clock and normal values otherwise', () => {
    const cycle = new Date('2026-11-25T10:04:00Z');
    expect(bp(new Date(cycle.getTime() + 5_000)).get('blood_pressure_systolic')).toBe(184);
    expect(bp(new Date(cycle.getTime() + 4 * 60_000 + 19_000)).get('blood_pressure_diastolic')).toBe(112);
    // The re-measurement, 200 s later, is in range: the breach is not confirmed.
    expect(bp(new Date(cycle.getTime() + 5_000 + 200_000)).get('blood_pressure_systolic')).toBe(128);
  });

  it('answers the re-measure request after a delay within the platform default deadline (300 s)', () => {
    const delay = remeasureDelayMs(effects);
    expect(delay).toBeGreaterThan(60_000);
    // Cycle and delay leave the answer before the next crisis reading.
    expect(delay! + 20_000).toBeLessThan(300_000);
    expect(delay! + 20_000).toBeLessThan(4 * 60_000);
    expect(remeasureDelayMs(SCENARIOS['hypertensive-crisis'].effects)).toBeUndefined();
  });

  it('acts on another patient than the hypertensive crisis', () => {
    const [crisis, remeasure] = assignScenarios(['hypertensive-crisis', 'remeasure-in-progress'], DEVICES);
    expect(remeasure?.patientId).not.toBe(crisis?.patientId);
  });
});
