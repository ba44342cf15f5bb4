import {
  DEVICE_CONTRACT,
  DEVICE_KINDS,
  VITALS,
  acceptedUnits,
  toCanonicalUnit,
  type DeviceKind,
  type DeviceMessageV1,
  type VitalType,
} from '@homeward/contracts';
import { vitalsMeasuredBy } from './device-kinds';
import { createPatientProfile } from './patient-profile';
import {
  ReadingGenerator,
  chooseDeviceUnits,
  createMessageId,
  formatMeasuredAt,
  fromCanonicalUnit,
} from './reading-generator';

const START = new Date('2026-11-25T06:00:00Z');
const MINUTE = 60_000;

function generator(deviceId: string, kind: DeviceKind, seed = 'spec', patientId = `patient-of-${deviceId}`) {
  return new ReadingGenerator({
    deviceId,
    kind,
    profile: createPatientProfile(patientId, seed),
    seed,
    startedAt: START,
  });
}

function run(gen: ReadingGenerator, n: number, stepMs = 15_000): DeviceMessageV1[] {
  return Array.from({ length: n }, (_, i) => gen.next(new Date(START.getTime() + i * stepMs)));
}

function canonical(message: DeviceMessageV1, type: VitalType): number {
  const reading = message.readings.find((r) => r.type === type);
  if (!reading) throw new Error(`no ${type} in ${message.messageId}`);
  const value = toCanonicalUnit(type, reading.value, reading.unit);
  if (value === undefined) throw new Error(`unit ${reading.unit} not accepted for ${type}`);
  return value;
}

describe('ReadingGenerator', () => {
  it.each(DEVICE_KINDS)('produces %s messages that pass the device contract and the catalogue', (kind) => {
    for (let d = 0; d < 20; d++) {
      const messages = run(generator(`dev-${kind}-${d}`, kind), 40, 37 * MINUTE);
      for (const message of messages) {
        expect(message.messageId).toMatch(/^[A-Za-z0-9._:-]+$/);
        expect(message.messageId.length).toBeLessThanOrEqual(DEVICE_CONTRACT.maxMessageIdLength);
        expect(message.measuredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(
          DEVICE_CONTRACT.maxPayloadBytes,
        );
        expect(message.readings.map((r) => r.type)).toEqual(vitalsMeasuredBy(kind));
        expect(new Set(message.readings.map((r) => r.type)).size).toBe(message.readings.length);
        for (const reading of message.readings) {
          expect(acceptedUnits(reading.type)).toContain(reading.unit);
          expect(Number.isFinite(reading.value)).toBe(true);
          const value = canonical(message, reading.type);
          expect(value).toBeGreaterThanOrEqual(VITALS[reading.type].plausible.min);
          expect(value).toBeLessThanOrEqual(VITALS[reading.type].plausible.max);
        }
        if (message.readings.some((r) => r.type === 'blood_pressure_systolic')) {
          expect(canonical(message, 'blood_pressure_systolic')).toBeGreaterThan(
            canonical(message, 'blood_pressure_diastolic'),
          );
        }
      }
    }
  });

  it('keeps normal readings realistic and below critical alert thresholds', () => {
    for (let p = 0; p < 100; p++) {
      for (const message of run(generator(`bp-${p}`, 'bp_cuff'), 50, 29 * MINUTE)) {
        expect(canonical(message, 'blood_pressure_systolic')).toBeGreaterThanOrEqual(95);
        expect(canonical(message, 'blood_pressure_systolic')).toBeLessThanOrEqual(172);
        expect(canonical(message, 'blood_pressure_diastolic')).toBeLessThanOrEqual(108);
        expect(canonical(message, 'heart_rate')).toBeGreaterThanOrEqual(40);
        expect(canonical(message, 'heart_rate')).toBeLessThanOrEqual(120);
      }
      for (const message of run(generator(`ox-${p}`, 'pulse_oximeter'), 50)) {
        expect(canonical(message, 'oxygen_saturation')).toBeGreaterThanOrEqual(93);
        expect(canonical(message, 'oxygen_saturation')).toBeLessThanOrEqual(100);
      }
    }
  });

  it('gives the same readings for the same seed and different ones for another seed', () => {
    const a = run(generator('dev-1', 'hub', 'seed-a'), 25);
    const again = run(generator('dev-1', 'hub', 'seed-a'), 25);
    const b = run(generator('dev-1', 'hub', 'seed-b'), 25);
    expect(again).toEqual(a);
    expect(b.map((m) => m.readings)).not.toEqual(a.map((m) => m.readings));
  });

  it('gives every message of a device its own messageId', () => {
    const gen = generator('0f3e2d1c-aaaa-bbbb-cccc-000000000001', 'bp_cuff');
    // Several readings within the same millisecond still differ by the counter.
    const messages = Array.from({ length: 500 }, (_, i) =>
      gen.next(new Date(START.getTime() + Math.floor(i / 10))),
    );
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(500);
  });

  it('keeps a patient baseline: weight drifts slowly rather than jumping', () => {
    const weights = run(generator('scale-1', 'scale'), 96, 15 * MINUTE).map((m) =>
      canonical(m, 'body_weight'),
    );
    const spread = Math.max(...weights) - Math.min(...weights);
    expect(spread).toBeLessThan(1.5);
    expect(spread).toBeGreaterThan(0);
  });

  it('raises blood pressure in the morning (morning surge)', () => {
    const meanSystolic = (hour: number): number => {
      let sum = 0;
      let n = 0;
      for (let p = 0; p < 40; p++) {
        const gen = generator(`surge-${p}`, 'bp_cuff');
        for (let day = 0; day < 5; day++) {
          // Local-time constructor: the surge follows the patient's clock, whatever the TZ.
          sum += canonical(gen.next(new Date(2026, 10, 20 + day, hour, 30)), 'blood_pressure_systolic');
          n += 1;
        }
      }
      return sum / n;
    };
    expect(meanSystolic(7) - meanSystolic(15)).toBeGreaterThan(8);
  });

  it('reports in alternative units on some devices, converting correctly', () => {
    const units = Array.from({ length: 200 }, (_, i) => chooseDeviceUnits(`dev-${i}`, 'spec'));
    expect(units.some((u) => u.body_weight === '[lb_av]')).toBe(true);
    expect(units.some((u) => u.body_weight === 'kg')).toBe(true);
    expect(units.some((u) => u.blood_glucose === 'mmol/L')).toBe(true);
    expect(units.some((u) => u.body_temperature === '[degF]')).toBe(true);

    const gen = new ReadingGenerator({
      deviceId: 'lb-scale',
      kind: 'scale',
      profile: { ...createPatientProfile('p', 'spec'), weightKg: 80 },
      seed: 'spec',
      startedAt: START,
      units: { ...chooseDeviceUnits('lb-scale', 'spec'), body_weight: '[lb_av]' },
    });
    const reading = gen.next(START).readings[0];
    expect(reading?.unit).toBe('[lb_av]');
    expect(reading?.value).toBeGreaterThan(172);
    expect(reading?.value).toBeLessThan(181);
  });
});

describe('fromCanonicalUnit', () => {
  it('inverts the catalogue conversions', () => {
    expect(fromCanonicalUnit('body_temperature', 37, '[degF]')).toBeCloseTo(98.6, 6);
    expect(fromCanonicalUnit('body_weight', 0.45359237, '[lb_av]')).toBeCloseTo(1, 9);
    expect(fromCanonicalUnit('blood_glucose', 180.16, 'mmol/L')).toBeCloseTo(10, 9);
    expect(fromCanonicalUnit('heart_rate', 71, '/min')).toBe(71);
    for (const type of Object.keys(VITALS) as VitalType[]) {
      for (const unit of acceptedUnits(type)) {
        const back = toCanonicalUnit(type, fromCanonicalUnit(type, 100, unit), unit);
        expect(back).toBeCloseTo(100, VITALS[type].precision === 0 ? 0 : 1);
      }
    }
  });

  it('refuses a unit the catalogue does not accept', () => {
    expect(() => fromCanonicalUnit('body_weight', 80, 'stone')).toThrow(/not an accepted unit/);
  });
});

describe('message fields', () => {
  it('formats measuredAt in UTC without milliseconds', () => {
    expect(formatMeasuredAt(new Date('2026-11-25T07:02:11.789Z'))).toBe('2026-11-25T07:02:11Z');
  });

  it('builds messageIds from safe characters only, whatever the device id', () => {
    const id = createMessageId('dev/ice#1 ü', 7, new Date(0));
    expect(id).toMatch(/^[A-Za-z0-9._:-]+$/);
    expect(id).toBe('dev-ice--7-0');
  });
});
