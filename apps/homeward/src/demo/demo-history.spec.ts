import type { DeviceKind } from '@homeward/contracts';
import { HISTORY_DAYS, demoHistory, localTime, pastAlerts, type HistoryReading } from './demo-history';

const NOW = new Date('2026-12-07T15:00:00Z');
const BASELINE = { systolic: 128, diastolic: 80, heartRate: 68, weightKg: 71.2, spo2: 97 };
const DEVICES = new Map<DeviceKind, string>([
  ['bp_cuff', 'cuff'],
  ['scale', 'scale'],
  ['pulse_oximeter', 'oximeter'],
]);

const history = (seed = 'ruth-lindqvist') =>
  demoHistory({ seed, baseline: BASELINE, timeZone: 'America/Chicago', devices: DEVICES, now: NOW });

const ofType = (readings: HistoryReading[], type: string) => readings.filter((r) => r.type === type);
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

describe('demoHistory', () => {
  it('spans 30 days before now with a reading on most days, never one in the future', () => {
    const readings = history();
    const times = readings.map((r) => r.measuredAt.getTime());
    expect(Math.max(...times)).toBeLessThan(NOW.getTime());
    expect(NOW.getTime() - Math.min(...times)).toBeGreaterThan((HISTORY_DAYS - 1) * 24 * 3_600_000);
    const days = new Set(ofType(readings, 'body_weight').map((r) => r.measuredAt.toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(24);
    expect(days.size).toBeLessThanOrEqual(HISTORY_DAYS + 1);
  });

  it("weighs at 07:10 and takes blood pressure at 07:30 and 19:30 in the patient's own time zone", () => {
    const readings = history();
    // Chicago is UTC-6 in December.
    expect(
      new Set(ofType(readings, 'body_weight').map((r) => r.measuredAt.toISOString().slice(11, 16))),
    ).toEqual(new Set(['13:10']));
    expect(
      new Set(
        ofType(readings, 'blood_pressure_systolic').map((r) => r.measuredAt.toISOString().slice(11, 16)),
      ),
    ).toEqual(new Set(['13:30', '01:30']));
    expect(localTime(new Date('2026-07-01T12:00:00Z'), 0, 7, 10, 'America/Chicago').toISOString()).toBe(
      '2026-07-01T12:10:00.000Z',
    );
  });

  it('has a morning surge in blood pressure and keeps weight within a kilogram of the baseline', () => {
    const systolic = ofType(history(), 'blood_pressure_systolic');
    const morning = systolic.filter((r) => r.measuredAt.getUTCHours() === 13).map((r) => r.value);
    const evening = systolic.filter((r) => r.measuredAt.getUTCHours() === 1).map((r) => r.value);
    expect(mean(morning) - mean(evening)).toBeGreaterThan(8);
    for (const { value } of ofType(history(), 'body_weight')) expect(Math.abs(value - 71.2)).toBeLessThan(1);
    for (const { value } of ofType(history(), 'oxygen_saturation')) expect(value).toBeLessThanOrEqual(99);
  });

  it('uses catalogue units and one message per measurement, the same history for the same seed', () => {
    const readings = history();
    const cuff = readings.filter((r) => r.deviceId === 'cuff');
    expect(new Set(cuff.map((r) => r.unit))).toEqual(new Set(['mm[Hg]', '/min']));
    expect(new Set(cuff.map((r) => r.messageId)).size).toBe(cuff.length / 3);
    expect(history()).toEqual(readings);
    expect(history('wei-chen')).not.toEqual(readings);
  });
});

describe('pastAlerts', () => {
  const episodes = [
    { daysAgo: 19, systolic: 168, diastolic: 102 },
    { daysAgo: 6, systolic: 164, diastolic: 98 },
  ];
  const timeZone = 'America/Chicago';
  const readings = demoHistory({
    seed: 'maria-alvarez',
    baseline: BASELINE,
    timeZone,
    devices: DEVICES,
    now: NOW,
    pastEpisodes: episodes,
  });

  it("puts each episode's values in that morning's cuff reading, whatever the skips", () => {
    for (const episode of episodes) {
      const at = localTime(NOW, episode.daysAgo, 7, 30, timeZone).getTime();
      const measurement = readings.filter((r) => r.measuredAt.getTime() === at);
      expect(measurement.map((r) => [r.type, r.value]).slice(0, 2)).toEqual([
        ['blood_pressure_systolic', episode.systolic],
        ['blood_pressure_diastolic', episode.diastolic],
      ]);
    }
  });

  it('raises each at its reading and has it acknowledged, noted and resolved by people, in order', () => {
    const alerts = pastAlerts(readings, episodes, { now: NOW, timeZone });
    expect(alerts.map((alert) => alert.trigger.value)).toEqual([168, 164]);
    for (const alert of alerts) {
      expect(alert.trigger.messageId).toMatch(/^demo-history-/);
      expect(alert.raisedAt.getTime()).toBeGreaterThan(alert.trigger.measuredAt.getTime());
      expect(alert.events.map((event) => [event.actor, event.action, event.toStatus])).toEqual([
        ['coordinator', 'acknowledge', 'acknowledged'],
        ['coordinator', 'note', 'acknowledged'],
        ['clinician', 'resolve', 'resolved'],
      ]);
      const times = [alert.raisedAt, ...alert.events.map((event) => event.at)].map((at) => at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // Acknowledged within the hour, resolved within two days, all before now.
      expect(times[1] - times[0]).toBeLessThan(3_600_000);
      expect(times[3] - times[0]).toBeLessThan(2 * 24 * 3_600_000);
      expect(Math.max(...times)).toBeLessThan(NOW.getTime());
    }
  });
});
