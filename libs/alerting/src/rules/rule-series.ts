import { VITAL_TYPES, toCanonicalUnit, type VitalType } from '@homeward/contracts';

/** One measured value, as stored. */
export interface RuleReading {
  patientId: string;
  deviceId: string;
  messageId: string;
  measuredAt: Date;
  type: string;
  value: number;
  unit: string;
}

/** One measurement: the readings a device took together (a cuff's systolic, diastolic and pulse). */
export function measurementKey(reading: { deviceId: string; messageId: string; measuredAt: Date }): string {
  return `${reading.deviceId}|${reading.messageId}|${reading.measuredAt.getTime()}`;
}

/** A reading as the engine takes it; `receivedAt` (when stored) decides whether it was late. */
export interface EngineReading extends RuleReading {
  receivedAt?: Date;
  /** Measurement-status flags the device raised (`measurement-quality.ts`). */
  flags?: readonly string[];
}

/** A reading with its value in the catalogue unit and its time in milliseconds. */
export interface PreparedReading<R extends EngineReading = EngineReading> {
  reading: R;
  type: VitalType;
  value: number;
  atMs: number;
}

/** One evaluation of a rule: at a reading (or a measurement, for `any`), breached or not. */
export interface RulePoint<R extends EngineReading = EngineReading> {
  trigger: R;
  atMs: number;
  breach: boolean;
  /** What was compared: the reading, the average or the change (catalogue unit); null when not computable. */
  value: number | null;
  /** For a breach, what a clinician reads ("body_weight rose 1.2 kg within 24 h (80 → 81.2 kg)"); else empty. */
  detail: string;
}

const VITAL_TYPE_SET: ReadonlySet<string> = new Set(VITAL_TYPES);

/**
 * Readings of known types in the catalogue unit, in time order. Ties are broken by device,
 * message and type so the same readings always give the same points, whatever order they came in.
 */
export function prepareReadings<R extends EngineReading>(
  readings: Iterable<R>,
  only: ReadonlySet<string> = VITAL_TYPE_SET,
): PreparedReading<R>[] {
  const prepared: PreparedReading<R>[] = [];
  for (const reading of readings) {
    if (!only.has(reading.type) || !VITAL_TYPE_SET.has(reading.type)) continue;
    const type = reading.type as VitalType;
    const value = toCanonicalUnit(type, reading.value, reading.unit);
    if (value === undefined) continue;
    const atMs = reading.measuredAt.getTime();
    prepared.push({
      reading,
      type,
      value,
      atMs,
    });
  }
  return prepared.sort(compareReadings);
}

/** Readings of one measurement (systolic, diastolic and pulse of one cuff inflation) share all three. */
export function sameMeasurement(a: PreparedReading, b: PreparedReading): boolean {
  return (
    a.atMs === b.atMs &&
    a.reading.messageId === b.reading.messageId &&
    a.reading.deviceId === b.reading.deviceId
  );
}

function compareReadings(a: PreparedReading, b: PreparedReading): number {
  return (
    a.atMs - b.atMs ||
    compareText(a.reading.deviceId, b.reading.deviceId) ||
    compareText(a.reading.messageId, b.reading.messageId) ||
    compareText(a.type, b.type)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Identity of a stored reading, for merging a batch into the history it may already be part of. */
export function readingKey(reading: RuleReading): string {
  return `${reading.deviceId}|${reading.messageId}|${reading.measuredAt.getTime()}|${reading.type}`;
}

export function ofType<R extends EngineReading>(
  readings: readonly PreparedReading<R>[],
  type: VitalType,
): PreparedReading<R>[] {
  return readings.filter((r) => r.type === type);
}

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * HOUR_MS;
