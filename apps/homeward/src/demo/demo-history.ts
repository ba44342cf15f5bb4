import { VITALS, type DeviceKind, type VitalType } from '@homeward/contracts';

/** A demo patient's usual values, in catalogue units; the simulator continues from them. */
export interface DemoBaseline {
  systolic: number;
  diastolic: number;
  heartRate: number;
  weightKg: number;
  spo2: number;
}

export interface HistoryReading {
  deviceId: string;
  /** One message per measurement: systolic, diastolic and pulse of one cuff reading share it. */
  messageId: string;
  measuredAt: Date;
  type: VitalType;
  loinc: string;
  value: number;
  unit: string;
}

/** A morning blood pressure in the history that was high enough to raise an alert at the time. */
export interface PastEpisode {
  daysAgo: number;
  systolic: number;
  diastolic: number;
}

export const HISTORY_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** About one measurement session in twelve is skipped, as patients at home do. */
const SKIP_CHANCE = 0.08;

/** A small seeded PRNG (mulberry32), so a patient's history is the same on every machine. */
function seededRandom(seed: string): () => number {
  let state = 0;
  for (const char of seed) state = (Math.imul(state, 31) + char.charCodeAt(0)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number, sd: number): number {
  // Box-Muller; 1 - random() keeps the logarithm finite.
  return sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Milliseconds `timeZone` is ahead of UTC at `at`. */
function zoneOffsetMs(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of `hour`:`minute` local time, `daysAgo` local days before `now`'s, in `timeZone`. */
export function localTime(now: Date, daysAgo: number, hour: number, minute: number, timeZone: string): Date {
  const localNow = new Date(now.getTime() + zoneOffsetMs(timeZone, now));
  const guess = Date.UTC(
    localNow.getUTCFullYear(),
    localNow.getUTCMonth(),
    localNow.getUTCDate() - daysAgo,
    hour,
    minute,
  );
  return new Date(guess - zoneOffsetMs(timeZone, new Date(guess)));
}

/**
 * 30 days of home readings before `now` with a daily rhythm, in the patient's time zone: a
 * morning weighing (07:10), morning and evening blood pressure with pulse (07:30, 19:30; the
 * morning surge lifts the first) and a morning SpO2 (07:40). Weight drifts slowly around the
 * baseline (a heart-failure patient's dry weight). Deterministic for a `seed`.
 */
export function demoHistory(input: {
  seed: string;
  baseline: DemoBaseline;
  timeZone: string;
  devices: ReadonlyMap<DeviceKind, string>;
  now: Date;
  /** These mornings' cuff readings are the episode's values, never skipped. */
  pastEpisodes?: readonly PastEpisode[];
}): HistoryReading[] {
  const { baseline, devices, timeZone, now } = input;
  const episodes = new Map((input.pastEpisodes ?? []).map((episode) => [episode.daysAgo, episode]));
  const random = seededRandom(input.seed);
  const readings: HistoryReading[] = [];
  const add = (kind: DeviceKind, at: Date, values: Array<[VitalType, number]>, kept = false) => {
    const deviceId = devices.get(kind);
    // Every draw happens whether or not the session is kept, so one skip never shifts the rest.
    const skipped = random() < SKIP_CHANCE && !kept;
    if (!deviceId || skipped || at.getTime() >= now.getTime()) return;
    const messageId = `demo-history-${at.getTime()}`;
    for (const [type, value] of values) {
      const { unit, loinc, precision } = VITALS[type];
      readings.push({
        deviceId,
        messageId,
        measuredAt: at,
        type,
        loinc,
        unit,
        value: round(value, precision),
      });
    }
  };
  for (let daysAgo = HISTORY_DAYS; daysAgo >= 0; daysAgo -= 1) {
    const days = (now.getTime() - daysAgo * DAY_MS) / DAY_MS;
    const weight = baseline.weightKg + 0.35 * Math.sin((2 * Math.PI * days) / 11) + normal(random, 0.15);
    add('scale', localTime(now, daysAgo, 7, 10, timeZone), [['body_weight', weight]]);
    for (const [hour, surge] of [
      [7, 1],
      [19, -0.4],
    ] as const) {
      let systolic = baseline.systolic + 10 * surge + normal(random, 6);
      let diastolic = Math.min(systolic - 25, baseline.diastolic + 5 * surge + normal(random, 4));
      const episode = hour === 7 ? episodes.get(daysAgo) : undefined;
      if (episode) [systolic, diastolic] = [episode.systolic, episode.diastolic];
      add(
        'bp_cuff',
        localTime(now, daysAgo, hour, 30, timeZone),
        [
          ['blood_pressure_systolic', systolic],
          ['blood_pressure_diastolic', diastolic],
          ['heart_rate', baseline.heartRate + 4 * surge + normal(random, 4)],
        ],
        episode !== undefined,
      );
    }
    const spo2 = Math.min(99, baseline.spo2 + normal(random, 0.7));
    add('pulse_oximeter', localTime(now, daysAgo, 7, 40, timeZone), [['oxygen_saturation', spo2]]);
  }
  return readings;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** One entry of a past alert's history, as the console's actions record them. */
export interface PastAlertEvent {
  at: Date;
  actor: 'coordinator' | 'clinician';
  action: 'acknowledge' | 'note' | 'resolve';
  fromStatus: 'open' | 'acknowledged';
  toStatus: 'acknowledged' | 'resolved';
  detail: Record<string, string>;
}

export interface PastAlert {
  /** The systolic reading of the episode's morning measurement (the trigger). */
  trigger: HistoryReading;
  /** When the platform raised it: shortly after the reading arrived. */
  raisedAt: Date;
  events: PastAlertEvent[];
}

const MINUTE_MS = 60_000;

/**
 * The alerts the past episodes raised and how the care team worked them, at a believable
 * pace: acknowledged by the coordinator within the half hour, a note after the call, and
 * resolved by the clinician the next morning once the repeat readings were back in range.
 */
export function pastAlerts(
  readings: readonly HistoryReading[],
  episodes: readonly PastEpisode[],
  history: { now: Date; timeZone: string },
): PastAlert[] {
  const alerts: PastAlert[] = [];
  for (const episode of episodes) {
    const measuredAt = localTime(history.now, episode.daysAgo, 7, 30, history.timeZone).getTime();
    const trigger = readings.find(
      (reading) => reading.type === 'blood_pressure_systolic' && reading.measuredAt.getTime() === measuredAt,
    );
    if (!trigger) continue;
    const at = (minutes: number) => new Date(trigger.measuredAt.getTime() + minutes * MINUTE_MS);
    alerts.push({
      trigger,
      raisedAt: at(1),
      events: [
        {
          at: at(24),
          actor: 'coordinator',
          action: 'acknowledge',
          fromStatus: 'open',
          toStatus: 'acknowledged',
          detail: {},
        },
        {
          at: at(31),
          actor: 'coordinator',
          action: 'note',
          fromStatus: 'acknowledged',
          toStatus: 'acknowledged',
          detail: {
            text: `Called the patient: ${episode.systolic}/${episode.diastolic}, no symptoms; missed last night's dose. Asked for a repeat this evening.`,
          },
        },
        {
          at: at(26 * 60 + 15),
          actor: 'clinician',
          action: 'resolve',
          fromStatus: 'acknowledged',
          toStatus: 'resolved',
          detail: { reason: 'Repeat readings back in range; medication adherence discussed.' },
        },
      ],
    });
  }
  return alerts;
}
