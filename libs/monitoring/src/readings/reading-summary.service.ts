import { Injectable } from '@nestjs/common';
import { VITAL_TYPES } from '@homeward/contracts';
import { AccessPolicy, type Principal } from '@homeward/access';
import type { LatestReadingRow } from '../monitoring.rows';
import { ReadingRepository } from './reading.repository';

/** The days adherence looks back on, today included. */
export const ADHERENCE_WINDOW_DAYS = 30;

/** A patient's last measurement: its newest reading, with the values measured with it. */
export interface LastMeasurement {
  type: string;
  value: number;
  unit: string;
  measuredAt: Date;
  deviceId: string;
  /** The other values of the same message (a cuff's diastolic and pulse), in catalogue order. */
  alongside: Array<{ type: string; value: number; unit: string }>;
}

const CATALOGUE_ORDER = new Map<string, number>(VITAL_TYPES.map((type, index) => [type, index]));

/**
 * Figures about many patients' readings at once, for lists that rank and page patients. A few
 * queries whatever the number of patients; always within the caller's scope. The caller audits
 * the list it builds from them (the figures are part of it).
 */
@Injectable()
export class ReadingSummaryService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly readings: ReadingRepository,
  ) {}

  /** Each patient's last measurement; patients who never measured are absent. */
  async lastMeasurements(
    principal: Principal,
    patientIds: readonly string[],
  ): Promise<Map<string, LastMeasurement>> {
    const result = new Map<string, LastMeasurement>();
    if (patientIds.length === 0) return result;
    const rows = await this.readings.latestOfEachType(
      this.access.patientScope(principal),
      patientIds,
      VITAL_TYPES,
    );
    const byPatient = new Map<string, LatestReadingRow[]>();
    for (const row of rows) byPatient.set(row.patientId, [...(byPatient.get(row.patientId) ?? []), row]);
    for (const [patientId, latest] of byPatient) {
      // Newest first; within one message, in catalogue order (systolic before diastolic).
      latest.sort(
        (a, b) =>
          b.measuredAt.getTime() - a.measuredAt.getTime() ||
          (CATALOGUE_ORDER.get(a.type) ?? 99) - (CATALOGUE_ORDER.get(b.type) ?? 99),
      );
      const [newest, ...rest] = latest;
      result.set(patientId, {
        type: newest.type,
        value: newest.value,
        unit: newest.unit,
        measuredAt: newest.measuredAt,
        deviceId: newest.deviceId,
        alongside: rest
          .filter(
            (row) =>
              row.deviceId === newest.deviceId &&
              row.messageId === newest.messageId &&
              row.measuredAt.getTime() === newest.measuredAt.getTime(),
          )
          .map((row) => ({ type: row.type, value: row.value, unit: row.unit })),
      });
    }
    return result;
  }

  /**
   * Adherence: per patient, the distinct calendar days with at least one reading among the last
   * `ADHERENCE_WINDOW_DAYS` (today included, up to `now`), counted in the patient's time zone as
   * stored (UTC when it has none). Every patient asked for is a key; several readings on one day
   * count once.
   */
  async adherence(
    principal: Principal,
    patientIds: readonly string[],
    now: Date = new Date(),
  ): Promise<Map<string, number>> {
    const result = new Map<string, number>(patientIds.map((id) => [id, 0]));
    if (patientIds.length === 0) return result;
    const rows = await this.readings.daysWithReadings(
      this.access.patientScope(principal),
      patientIds,
      VITAL_TYPES,
      ADHERENCE_WINDOW_DAYS,
      now,
    );
    for (const row of rows) result.set(row.patientId, row.days);
    return result;
  }
}
