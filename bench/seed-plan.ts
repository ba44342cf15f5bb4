import { VITALS, type VitalType } from '@homeward/contracts';

/** What a patient's one device measures at a time; patients get these in turn. */
export const DEVICE_KINDS = [
  {
    kind: 'bp_cuff',
    types: ['blood_pressure_systolic', 'blood_pressure_diastolic', 'heart_rate'],
  },
  { kind: 'pulse_oximeter', types: ['oxygen_saturation', 'heart_rate'] },
  { kind: 'scale', types: ['body_weight'] },
] as const satisfies ReadonlyArray<{ kind: string; types: readonly VitalType[] }>;

/** Typical value and spread of each type, for plausible rows (no rule logic depends on them). */
const VALUES: Record<VitalType, { base: number; spread: number; decimals: number }> = {
  blood_pressure_systolic: { base: 110, spread: 70, decimals: 0 },
  blood_pressure_diastolic: { base: 65, spread: 40, decimals: 0 },
  heart_rate: { base: 55, spread: 60, decimals: 0 },
  body_weight: { base: 55, spread: 60, decimals: 1 },
  oxygen_saturation: { base: 88, spread: 12, decimals: 0 },
  blood_glucose: { base: 70, spread: 150, decimals: 0 },
  body_temperature: { base: 36, spread: 2.5, decimals: 1 },
};

export interface SeedOptions {
  /** Readings to store (about: the plan rounds to whole measurement slots). */
  readings: number;
  patients: number;
  /** Patients measuring up to now: the first `activePatients`. */
  activePatients: number;
  /** Patients whose device went quiet before the adherence window: the next `lapsedPatients`. */
  lapsedPatients: number;
  /** How far back the readings go. */
  days: number;
  /** The days before now in which lapsed patients send nothing (the adherence window). */
  quietDays: number;
}

export interface SeedPlan extends SeedOptions {
  /** The history is cut into equal slots; each measuring patient measures once per slot. */
  slots: number;
  slotMs: number;
  /** Lapsed patients measure in slots `0 .. lapsedSlots - 1` only. */
  lapsedSlots: number;
  readingsPerActiveSlot: number;
  readingsPerLapsedSlot: number;
  /** Exactly what the rows generator produces. */
  expectedReadings: number;
}

const DAY_MS = 86_400_000;

/** The device kind of the patient at `index` (those with a device: active, then lapsed). */
export function deviceKindOf(index: number): (typeof DEVICE_KINDS)[number] {
  return DEVICE_KINDS[index % DEVICE_KINDS.length];
}

function readingsPerSlot(from: number, count: number): number {
  let total = 0;
  for (let index = from; index < from + count; index++) total += deviceKindOf(index).types.length;
  return total;
}

/**
 * Spreads `readings` over the active and lapsed patients as one measurement per patient and
 * slot, so that rows arrive in time order across patients, as ingest writes them (a table
 * filled patient by patient would make every patient's chart one contiguous run of pages).
 */
export function planSeed(options: SeedOptions): SeedPlan {
  const { readings, patients, activePatients, lapsedPatients, days, quietDays } = options;
  if (activePatients + lapsedPatients > patients)
    throw new RangeError('more patients with devices than patients');
  if (quietDays >= days) throw new RangeError('quietDays must be shorter than days');
  const readingsPerActiveSlot = readingsPerSlot(0, activePatients);
  const readingsPerLapsedSlot = readingsPerSlot(activePatients, lapsedPatients);
  // Lapsed devices stop a day before the quiet window, whatever their jitter.
  const lapsedShare = (days - quietDays - 1) / days;
  const expected = (slots: number) =>
    slots * readingsPerActiveSlot + Math.floor(slots * lapsedShare) * readingsPerLapsedSlot;
  // The nearest whole number of slots: the estimate, or one either side of it.
  const estimate = Math.round(readings / (readingsPerActiveSlot + readingsPerLapsedSlot * lapsedShare));
  const slots = [estimate - 1, estimate, estimate + 1]
    .filter((candidate) => candidate >= 1)
    .reduce((best, candidate) =>
      Math.abs(expected(candidate) - readings) < Math.abs(expected(best) - readings) ? candidate : best,
    );
  return {
    ...options,
    slots,
    slotMs: (days * DAY_MS) / slots,
    lapsedSlots: Math.floor(slots * lapsedShare),
    readingsPerActiveSlot,
    readingsPerLapsedSlot,
    expectedReadings: expected(slots),
  };
}

export interface SeedIds {
  patientIds: readonly string[];
  /** Device of each patient with one (active, then lapsed), by patient index. */
  deviceIds: readonly string[];
}

function escapeCopyText(value: string): string {
  return value.replace(
    /[\\\t\n\r]/g,
    (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char]!,
  );
}

/** The columns `readingCopyLines` fills, in order. */
export const READING_COPY_COLUMNS =
  'measured_at, patient_id, device_id, message_id, type, loinc, value, unit, source_value, source_unit, batch_id';

/**
 * The COPY text rows of one slot, oldest history first: each measuring patient's one message
 * (all values of its device kind share message id and time). `batchId` stands for the ingest
 * batch that would have stored them.
 */
export function readingCopyLines(
  plan: SeedPlan,
  ids: SeedIds,
  slot: number,
  startMs: number,
  batchId: string,
  random: () => number,
): string {
  const parts: string[] = [];
  const measuring = plan.activePatients + (slot < plan.lapsedSlots ? plan.lapsedPatients : 0);
  for (let index = 0; index < measuring; index++) {
    const measuredAt = new Date(startMs + (slot + random()) * plan.slotMs).toISOString();
    const prefix = `${measuredAt}\t${ids.patientIds[index]}\t${ids.deviceIds[index]}\tm${slot}\t`;
    for (const type of deviceKindOf(index).types) {
      const { base, spread, decimals } = VALUES[type];
      const value = (base + random() * spread).toFixed(decimals);
      const { loinc, unit } = VITALS[type];
      parts.push(
        `${prefix}${type}\t${loinc}\t${value}\t${escapeCopyText(unit)}\t${value}\t${escapeCopyText(unit)}\t${batchId}\n`,
      );
    }
  }
  return parts.join('');
}

export const ALERT_RULES = [
  { ruleId: 'default.bp.grade2', kind: 'threshold', type: 'blood_pressure_systolic' },
  { ruleId: 'default.hr.high', kind: 'threshold', type: 'heart_rate' },
  { ruleId: 'default.spo2.low', kind: 'threshold', type: 'oxygen_saturation' },
  { ruleId: 'default.bp.crisis', kind: 'threshold', type: 'blood_pressure_systolic' },
] as const;

const STATUS_MIX = [
  ['open', 0.25],
  ['acknowledged', 0.1],
  ['escalated', 0.05],
  ['pending_confirmation', 0.02],
  ['resolved', 0.48],
  ['dismissed', 0.1],
] as const;
const SEVERITY_MIX = [
  ['critical', 0.15],
  ['warning', 0.6],
  ['info', 0.25],
] as const;

export type SeedAlertStatus = (typeof STATUS_MIX)[number][0];
export const ACTIVE_ALERT_STATUSES: readonly SeedAlertStatus[] = [
  'open',
  'acknowledged',
  'escalated',
  'pending_confirmation',
];

export interface PlannedAlert {
  /** Index of a patient with a device. */
  patientIndex: number;
  ruleId: string;
  ruleKind: string;
  type: string;
  severity: (typeof SEVERITY_MIX)[number][0];
  status: SeedAlertStatus;
  /** Oldest first, over the history: alerts are inserted in this order, as raised. */
  createdAtMs: number;
}

function pick<T extends string>(mix: ReadonlyArray<readonly [T, number]>, roll: number): T {
  let total = 0;
  for (const [value, share] of mix) {
    total += share;
    if (roll < total) return value;
  }
  return mix[mix.length - 1][0];
}

/**
 * `count` alerts over the patients with devices, oldest first, with a queue's mix of statuses
 * and severities. Patient and rule pairs never repeat (at most patients × rules alerts), so
 * no two active alerts share an episode.
 */
export function planAlerts(
  count: number,
  patientsWithDevices: number,
  history: { startMs: number; endMs: number },
  random: () => number,
): PlannedAlert[] {
  if (count > patientsWithDevices * ALERT_RULES.length)
    throw new RangeError(`at most ${patientsWithDevices * ALERT_RULES.length} alerts`);
  const step = (history.endMs - history.startMs) / count;
  return Array.from({ length: count }, (_, n) => {
    const rule = ALERT_RULES[Math.floor(n / patientsWithDevices)];
    return {
      patientIndex: n % patientsWithDevices,
      ruleId: rule.ruleId,
      ruleKind: rule.kind,
      type: rule.type,
      severity: pick(SEVERITY_MIX, random()),
      status: pick(STATUS_MIX, random()),
      createdAtMs: Math.round(history.startMs + n * step),
    };
  });
}
