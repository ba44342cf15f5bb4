import type { Schemas } from '../api/client';

type Vital = Pick<Schemas['VitalDto'], 'type' | 'value' | 'unit' | 'measuredAt' | 'messageId'>;

/** The newest reading of each vital, newest first, a blood pressure's diastolic beside its systolic. */
export function latestByVital<T extends Vital>(readings: readonly T[]): Array<T & { alongside: T[] }> {
  const newestFirst = [...readings].sort((a, b) => Date.parse(b.measuredAt) - Date.parse(a.measuredAt));
  const seen = new Set<string>();
  const latest: Array<T & { alongside: T[] }> = [];
  for (const reading of newestFirst) {
    if (reading.type === 'blood_pressure_diastolic' || seen.has(reading.type)) continue;
    seen.add(reading.type);
    const alongside = newestFirst.filter(
      (other) =>
        other !== reading && other.messageId === reading.messageId && other.measuredAt === reading.measuredAt,
    );
    latest.push({ ...reading, alongside });
  }
  return latest;
}
