import { VITALS } from '@homeward/contracts';
import {
  ACTIVE_ALERT_STATUSES,
  ALERT_RULES,
  DEVICE_KINDS,
  deviceKindOf,
  planAlerts,
  planSeed,
  readingCopyLines,
} from './seed-plan';
import { seededRandom } from './stats';

const DAY_MS = 86_400_000;
const OPTIONS = { patients: 5_000, activePatients: 1_000, lapsedPatients: 1_000, days: 90, quietDays: 30 };

function ids(count: number) {
  const id = (prefix: string, n: number) =>
    `${prefix}${n.toString(16).padStart(7, '0')}-0000-4000-8000-000000000000`;
  return {
    patientIds: Array.from({ length: count }, (_, n) => id('a', n)),
    deviceIds: Array.from({ length: count }, (_, n) => id('d', n)),
  };
}

describe('planSeed', () => {
  it.each([200_000, 10_000_000])('plans %d readings to within one slot', (readings) => {
    const plan = planSeed({ ...OPTIONS, readings });
    expect(Math.abs(plan.expectedReadings - readings)).toBeLessThanOrEqual(
      plan.readingsPerActiveSlot + plan.readingsPerLapsedSlot,
    );
    expect(Math.abs(plan.expectedReadings - readings) / readings).toBeLessThan(0.01);
  });

  it('counts each device kind by the values it measures', () => {
    const plan = planSeed({ ...OPTIONS, readings: 200_000 });
    // 1,000 patients in turn: 334 cuffs (3 values), 333 oximeters (2), 333 scales (1).
    expect(plan.readingsPerActiveSlot).toBe(334 * 3 + 333 * 2 + 333);
    expect(DEVICE_KINDS.map((kind) => kind.types.length)).toEqual([3, 2, 1]);
  });

  it('keeps lapsed devices quiet for the adherence window and a day before it', () => {
    const plan = planSeed({ ...OPTIONS, readings: 10_000_000 });
    const lastLapsedEnd = plan.lapsedSlots * plan.slotMs;
    expect(plan.days * DAY_MS - lastLapsedEnd).toBeGreaterThanOrEqual((plan.quietDays + 1) * DAY_MS);
  });

  it('refuses more patients with devices than patients, or a quiet window as long as the history', () => {
    expect(() => planSeed({ ...OPTIONS, readings: 1, lapsedPatients: 4_001 })).toThrow(RangeError);
    expect(() => planSeed({ ...OPTIONS, readings: 1, quietDays: 90 })).toThrow(RangeError);
  });
});

describe('readingCopyLines', () => {
  const plan = planSeed({ ...OPTIONS, activePatients: 4, lapsedPatients: 2, patients: 10, readings: 1_000 });
  const start = Date.UTC(2026, 7, 1);

  it('writes every value of each measuring patient, lapsed ones only in their slots', () => {
    const early = readingCopyLines(plan, ids(6), 0, start, 'batch', seededRandom(1)).split('\n');
    const late = readingCopyLines(plan, ids(6), plan.slots - 1, start, 'batch', seededRandom(1)).split('\n');
    expect(early.length - 1).toBe(plan.readingsPerActiveSlot + plan.readingsPerLapsedSlot);
    expect(late.length - 1).toBe(plan.readingsPerActiveSlot);
  });

  it('shares one message id and time among the values of a measurement, inside its slot', () => {
    const slot = 3;
    const rows = readingCopyLines(plan, ids(6), slot, start, 'batch-1', seededRandom(2))
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.every((row) => row.length === 11 && row[3] === `m${slot}` && row[10] === 'batch-1')).toBe(
      true,
    );
    const cuff = rows.filter((row) => row[1] === ids(6).patientIds[0]);
    expect(cuff.map((row) => row[4])).toEqual([...deviceKindOf(0).types]);
    expect(new Set(cuff.map((row) => row[0])).size).toBe(1);
    for (const row of rows) {
      const at = Date.parse(row[0]);
      expect(at).toBeGreaterThanOrEqual(start + slot * plan.slotMs);
      expect(at).toBeLessThan(start + (slot + 1) * plan.slotMs);
      const vital = VITALS[row[4] as keyof typeof VITALS];
      expect([row[5], row[7], row[9]]).toEqual([vital.loinc, vital.unit, vital.unit]);
      expect(row[6]).toBe(row[8]);
    }
  });
});

describe('planAlerts', () => {
  const history = { startMs: 0, endMs: 90 * DAY_MS };

  it('never gives one patient two alerts of one rule, so active episodes stay unique', () => {
    const alerts = planAlerts(3_000, 2_000, history, seededRandom(3));
    const pairs = new Set(alerts.map((alert) => `${alert.patientIndex}/${alert.ruleId}`));
    expect(pairs.size).toBe(3_000);
    expect(() => planAlerts(2_000 * ALERT_RULES.length + 1, 2_000, history, seededRandom(3))).toThrow(
      RangeError,
    );
  });

  it('mixes statuses and severities the way a queue holds them, oldest first', () => {
    const alerts = planAlerts(3_000, 2_000, history, seededRandom(4));
    const active = alerts.filter((alert) => ACTIVE_ALERT_STATUSES.includes(alert.status)).length;
    expect(active / alerts.length).toBeGreaterThan(0.35);
    expect(active / alerts.length).toBeLessThan(0.5);
    expect(new Set(alerts.map((alert) => alert.severity))).toEqual(new Set(['critical', 'warning', 'info']));
    expect(alerts.every((alert, n) => n === 0 || alert.createdAtMs >= alerts[n - 1].createdAtMs)).toBe(true);
  });
});
